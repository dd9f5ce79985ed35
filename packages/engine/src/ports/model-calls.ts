/**
 * The ledger of model calls: every call an agent makes is one record (who, which model, tokens,
 * cost, latency, outcome), written by the agent layer through the store and summed per phase and
 * per run for `usage`, budgets and `baton run`'s cost lines.
 */

/** One model call, as recorded. */
export interface ModelCallRecord {
  readonly runId: string;
  readonly phaseId: string;
  readonly attempt: number;
  /** The agent's name (the phase's `agent`). */
  readonly agent: string;
  readonly provider: string;
  readonly model: string;
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** Input tokens the provider served from its prompt cache (part of `inputTokens`). */
  readonly cachedTokens: number;
  /** From the price table; `null` when the model has no price there. */
  readonly costUsd: number | null;
  readonly latencyMs: number;
  /** `error`: the call failed (the provider refused or failed, or its answer was unreadable). */
  readonly status: 'ok' | 'error';
  readonly error?: string;
  /** When the call ended (epoch milliseconds). */
  readonly at: number;
}

/** Sums over model calls. */
export interface UsageTotals {
  readonly calls: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cachedTokens: number;
  /** The cost of the priced calls. */
  readonly costUsd: number;
  /** Calls whose model has no price (their cost is not in `costUsd`). */
  readonly unpricedCalls: number;
}

/** A phase's usage over all its attempts, with the provider and model of its latest call. */
export interface PhaseUsage extends UsageTotals {
  readonly phaseId: string;
  readonly provider: string;
  readonly model: string;
}

/** A run's usage: per phase (in order of each phase's first call) and in total. */
export interface RunUsage {
  readonly total: UsageTotals;
  readonly phases: readonly PhaseUsage[];
}

/** Totals of no calls. */
export const NO_USAGE: UsageTotals = {
  calls: 0,
  inputTokens: 0,
  outputTokens: 0,
  cachedTokens: 0,
  costUsd: 0,
  unpricedCalls: 0,
};

/**
 * Sums calls the way the stores' SQL does: per phase in order of each phase's first call, with
 * the provider and model of its latest call. (The in-memory store uses it; the SQL stores must
 * agree with it — the contract checks.)
 */
export function sumModelCalls(calls: readonly ModelCallRecord[]): RunUsage {
  const phases = new Map<string, { totals: UsageTotals; provider: string; model: string }>();
  let total = NO_USAGE;
  for (const call of calls) {
    total = addCall(total, call);
    const phase = phases.get(call.phaseId);
    phases.set(call.phaseId, {
      totals: addCall(phase?.totals ?? NO_USAGE, call),
      provider: call.provider,
      model: call.model,
    });
  }
  return {
    total,
    phases: [...phases].map(([phaseId, { totals, provider, model }]) => ({
      phaseId,
      provider,
      model,
      ...totals,
    })),
  };
}

function addCall(totals: UsageTotals, call: ModelCallRecord): UsageTotals {
  return {
    calls: totals.calls + 1,
    inputTokens: totals.inputTokens + call.inputTokens,
    outputTokens: totals.outputTokens + call.outputTokens,
    cachedTokens: totals.cachedTokens + call.cachedTokens,
    costUsd: totals.costUsd + (call.costUsd ?? 0),
    unpricedCalls: totals.unpricedCalls + (call.costUsd === null ? 1 : 0),
  };
}
