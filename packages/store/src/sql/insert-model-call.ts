import type { ModelCallRecord } from '@baton/engine';
import type { Queryable } from '../db.js';

/** Records one model call in the ledger. */
export async function insertModelCall(db: Queryable, call: ModelCallRecord): Promise<void> {
  await db.query(
    `INSERT INTO model_calls (run_id, phase_id, attempt, agent, provider, model, input_tokens,
                              output_tokens, cached_tokens, cost_usd, latency_ms, status, error, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, to_timestamp($14 / 1000.0))`,
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
    ],
  );
}
