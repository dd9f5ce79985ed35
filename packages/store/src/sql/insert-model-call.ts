import type { ModelCallRecord } from '@baton/engine';
import type { Queryable } from '../db.js';

/**
 * Records one model call in the ledger, with its run's tenant (read from the run's row in the same
 * statement), and marks the run changed (`changed_xid`, migration 0012): its usage moved, which the
 * tenant stream (`run-changes.ts`) shows. Marking is a column of a row update in the same statement
 * — no statement of its own; it takes the run's row lock for that moment, which a step holding the
 * run's lock delays by the step's length at most (and this statement holds no other lock, so it
 * cannot deadlock). Returns false, having written nothing, when there is no such run — or it is not
 * `tenantId`'s, when given. (The ledger has no reference to `runs`: its rows outlive deleted runs.)
 */
export async function insertModelCall(
  db: Queryable,
  call: ModelCallRecord,
  tenantId: string | undefined,
): Promise<boolean> {
  const rows = await db.query<{ id: string }>(
    `WITH marked AS (
       UPDATE runs SET changed_xid = pg_current_xact_id()
        WHERE id = $1 AND ($15::text IS NULL OR tenant_id = $15::text)
       RETURNING id, tenant_id
     )
     INSERT INTO model_calls (run_id, tenant_id, phase_id, attempt, agent, provider, model, input_tokens,
                              output_tokens, cached_tokens, cost_usd, latency_ms, status, error, created_at)
     SELECT r.id, r.tenant_id, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, to_timestamp($14 / 1000.0)
       FROM marked r
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
