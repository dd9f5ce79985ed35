import { NO_USAGE, type PhaseUsage, type RunUsage, type UsageTotals } from '@baton/engine';
import type { Queryable } from '../db.js';

/**
 * A run's usage summed in SQL: per phase (in order of each phase's first call, with the provider
 * and model of its latest call) and in total. Nothing when the run is not `tenantId`'s, if given.
 */
export async function selectModelUsage(
  db: Queryable,
  runId: string,
  tenantId: string | undefined,
): Promise<RunUsage> {
  const phases = await db.query<PhaseUsage>(
    `SELECT phase_id AS "phaseId",
            (array_agg(provider ORDER BY id DESC))[1] AS provider,
            (array_agg(model ORDER BY id DESC))[1] AS model,
            count(*)::float8 AS calls,
            sum(input_tokens)::float8 AS "inputTokens",
            sum(output_tokens)::float8 AS "outputTokens",
            sum(cached_tokens)::float8 AS "cachedTokens",
            coalesce(sum(cost_usd), 0)::float8 AS "costUsd",
            count(*) FILTER (WHERE cost_usd IS NULL)::float8 AS "unpricedCalls"
       FROM model_calls
      WHERE run_id = $1 AND ($2::text IS NULL OR tenant_id = $2::text)
      GROUP BY phase_id
      ORDER BY min(id)`,
    [runId, tenantId ?? null],
  );
  let total: UsageTotals = NO_USAGE;
  for (const phase of phases) {
    total = {
      calls: total.calls + phase.calls,
      inputTokens: total.inputTokens + phase.inputTokens,
      outputTokens: total.outputTokens + phase.outputTokens,
      cachedTokens: total.cachedTokens + phase.cachedTokens,
      costUsd: total.costUsd + phase.costUsd,
      unpricedCalls: total.unpricedCalls + phase.unpricedCalls,
    };
  }
  return { total, phases };
}
