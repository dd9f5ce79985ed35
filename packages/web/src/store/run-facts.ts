/**
 * What the run page's bars read of a run, beyond its phases: the failed phases, the gate a person
 * can approve now, what the run spent against its budget, its stages, and each phase's live
 * details (timing, activity, usage) for the graph's nodes. Pure, like every selector.
 */
import type { PendingDecision } from '@baton/client';
import type { Budget } from '@baton/engine';
import type { LiveRun } from './live-run.js';
import { phaseRows, phaseView } from './selectors.js';

/** The phases that failed, in the run's order (map instances before their map). */
export function failedPhaseIds(live: LiveRun): string[] {
  return phaseRows(live)
    .filter((row) => row.status === 'failed')
    .map((row) => row.id);
}

/** The first decision waiting that a person can approve (a gate), if any. */
export function firstApprovable(live: LiveRun): PendingDecision | undefined {
  return live.view.pendingDecisions.find((pending) => pending.decisions.includes('approve'));
}

/** The run's budget in force: what a person raised over the workflow's own `budget:`. */
function runBudget(live: LiveRun): Budget | undefined {
  const { workflow, budgets } = live.state;
  const budget = { ...workflow.budget, ...budgets?.run };
  return budget.tokens === undefined && budget.usd === undefined ? undefined : budget;
}

/** What the run spent and may spend: USD (null when a model has no price) and tokens. */
export interface Spend {
  readonly costUsd: number | null;
  readonly tokens: number;
  readonly budget?: Budget;
  /** The larger share of the budget spent (0…1+), when there is one. */
  readonly share?: number;
}

export function runSpend(live: LiveRun): Spend {
  const { usage } = live.view;
  const tokens = usage.inputTokens + usage.outputTokens;
  const budget = runBudget(live);
  if (budget === undefined) return { costUsd: usage.costUsd, tokens };
  const shares = [
    budget.usd === undefined || budget.usd <= 0 ? undefined : (usage.costUsd ?? 0) / budget.usd,
    budget.tokens === undefined || budget.tokens <= 0 ? undefined : tokens / budget.tokens,
  ].filter((share): share is number => share !== undefined);
  return {
    costUsd: usage.costUsd,
    tokens,
    budget,
    ...(shares.length === 0 ? {} : { share: Math.max(...shares) }),
  };
}

/** One stage of the workflow's `stages:`, in their order; `current` is where the run stands. */
export interface StageStep {
  readonly stage: string;
  readonly current: boolean;
  /** Before the current one in the list. */
  readonly passed: boolean;
}

/** The workflow's stages, for the breadcrumb; empty when it names none. */
export function stageSteps(live: LiveRun): StageStep[] {
  const stages = live.state.workflow.stages ?? [];
  const now = live.view.stage ?? live.state.stage ?? null;
  const index = stages.findIndex((entry) => entry.stage === now);
  return stages.map((entry, at) => ({
    stage: entry.stage,
    current: at === index,
    passed: index >= 0 && at < index,
  }));
}

/** A phase's live details, as its graph node shows them. Times are epoch milliseconds. */
export interface PhaseDetails {
  /** The latest attempt started at… (absent before it starts). */
  readonly startedAt?: number;
  /** …and ended at (absent while it runs). */
  readonly endedAt?: number;
  /** Its latest sign of life: a heartbeat or progress of the stream, else the server's, else its start. */
  readonly lastActivityAt?: number;
  readonly tokens?: number;
  readonly costUsd?: number | null;
}

/** The details of every phase the fold knows, keyed by phase id. */
export function phaseDetails(live: LiveRun): ReadonlyMap<string, PhaseDetails> {
  const details = new Map<string, PhaseDetails>();
  for (const id of live.state.order) {
    const phase = live.state.phases[id];
    const latest = phase?.attempts.at(-1);
    const view = phaseView(live, id);
    const streamed = live.activity[id];
    const seen = [streamed, view?.lastActivityAt]
      .map((iso) => (iso === undefined ? undefined : Date.parse(iso)))
      .filter((at): at is number => at !== undefined && Number.isFinite(at));
    const started = latest?.startedAt;
    const lastActivityAt = seen.length > 0 ? Math.max(...seen, started ?? Number.NEGATIVE_INFINITY) : started;
    details.set(id, {
      ...(started === undefined ? {} : { startedAt: started }),
      ...(latest?.endedAt === undefined ? {} : { endedAt: latest.endedAt }),
      ...(lastActivityAt === undefined ? {} : { lastActivityAt }),
      ...(view?.usage === undefined
        ? {}
        : { tokens: view.usage.inputTokens + view.usage.outputTokens, costUsd: view.usage.costUsd }),
    });
  }
  return details;
}
