import type { ModelCallRecord } from '@baton/engine';
import type { Queryable } from '../db.js';

/**
 * Records one model call in the ledger, with its run's tenant (read from the run's row in the same
 * statement). Returns false, having written nothing, when there is no such run — or it is not
 * `tenantId`'s, when given. (The ledger has no reference to `runs`: its rows outlive deleted runs.)
 */
export async function insertModelCall(
  db: Queryable,
  call: ModelCallRecord,
  tenantId: string | undefined,
): Promise<boolean> {
  const rows = await db.query<{ id: string }>(
    `INSERT INTO model_calls (run_id, tenant_id, phase_id, attempt, agent, provider, model, input_tokens,
                              output_tokens, cached_tokens, cost_usd, latency_ms, status, error, created_at)
     SELECT r.id, r.tenant_id, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, to_timestamp($14 / 1000.0)
       FROM runs r
      WHERE r.id = $1 AND ($15::text IS NULL OR r.tenant_id = $15::text)
     RETURNING id`,
    [
      call.runId,
      call.phaseId,
      call.attempt,
      call.agent,
      call.provider,
      call.model,
      call.inputTokens,
      call.outputTokens,
      call.cachedTokens,
      call.costUsd,
      Math.round(call.latencyMs),
      call.status,
      call.error ?? null,
      call.at,
      tenantId ?? null,
    ],
  );
  return rows.length === 1;
}
