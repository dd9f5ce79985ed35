import type { ModelCallRecord } from '@baton/engine';
import type { Queryable } from '../db.js';

interface Row extends Omit<ModelCallRecord, 'error'> {
  readonly error: string | null;
}

/** A run's model calls in the order they were recorded (none when the run is not `tenantId`'s). */
export async function selectModelCalls(
  db: Queryable,
  runId: string,
  tenantId: string | undefined,
): Promise<ModelCallRecord[]> {
  const rows = await db.query<Row>(
    `SELECT run_id AS "runId", phase_id AS "phaseId", attempt, agent, provider, model,
            input_tokens AS "inputTokens", output_tokens AS "outputTokens",
            cached_tokens AS "cachedTokens", cost_usd AS "costUsd", latency_ms AS "latencyMs",
            status, error, round(extract(epoch FROM created_at) * 1000)::float8 AS "at"
       FROM model_calls
      WHERE run_id = $1 AND ($2::text IS NULL OR tenant_id = $2::text)
      ORDER BY id`,
    [runId, tenantId ?? null],
  );
  return rows.map(({ error, ...call }) => (error === null ? call : { ...call, error }));
}
