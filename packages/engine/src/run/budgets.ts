/**
 * Budgets: a person raises the run's budget or a phase's (`raise_budget`); the phases waiting on
 * a budget then run again (a new attempt, which checks the budget again before its first call).
 */
import type { Budget, RaisedBudgets, RunInput, RunState } from '../types.js';
import { refuse, type HandlerOutcome } from './outcome.js';
import type { StepContext } from './step-context.js';

type RaiseInput = Extract<RunInput, { type: 'raise_budget' }>;

/**
 * Applies `raise_budget`: records the raised limits (`budget_raised`, over the definition's) and
 * runs again every phase waiting on a budget (a new attempt each; it checks the budget again
 * before its first model call). Refused (`INVALID_TRANSITION`) when the run has ended;
 * `INVALID_INPUT` for a budget without a positive `tokens` or `usd`, or a phase that is no agent.
 */
export function applyRaiseBudget(ctx: StepContext, input: RaiseInput): HandlerOutcome {
  const state = ctx.state;
  if (state.ended !== undefined) {
    return refuse(
      'INVALID_TRANSITION',
      `run ${state.runId} has ended (${state.ended.status}); there is no budget to raise`,
    );
  }
  const problem = budgetProblem(input.budget);
  if (problem !== undefined) return refuse('INVALID_INPUT', problem);
  if (input.phaseId !== undefined && ctx.definition(input.phaseId).kind !== 'agent') {
    return refuse(
      'INVALID_INPUT',
      `phase "${input.phaseId}" is a ${ctx.definition(input.phaseId).kind} phase; only agent phases spend a budget`,
    );
  }
  ctx.emit({
    type: 'budget_raised',
    ...(input.phaseId === undefined ? {} : { phaseId: input.phaseId }),
    budget: input.budget,
    by: input.by,
    ...(input.reason === undefined ? {} : { reason: input.reason }),
  });
  for (const id of state.order) {
    const phase = ctx.phase(id);
    if (phase.status === 'waiting_for_human' && phase.waiting?.source === 'budget') ctx.makeReady(id);
  }
  return undefined;
}

/** Why a budget is not acceptable, or undefined. */
function budgetProblem(budget: Budget): string | undefined {
  const { tokens, usd } = budget;
  if (tokens === undefined && usd === undefined) return 'a budget needs "tokens" or "usd" (or both)';
  if (tokens !== undefined && !(Number.isSafeInteger(tokens) && tokens > 0)) {
    return `a budget's "tokens" must be a positive whole number, not ${tokens}`;
  }
  if (usd !== undefined && !(Number.isFinite(usd) && usd > 0)) {
    return `a budget's "usd" must be a positive number, not ${usd}`;
  }
  return undefined;
}

/**
 * The budgets in force for one phase: the run's and the phase's, each the definition's with what
 * a person raised over it (a raised limit replaces the written one; the other limit stays).
 */
export function effectiveBudgets(
  state: Pick<RunState, 'workflow' | 'definitions' | 'budgets'>,
  phaseId: string,
): { readonly run?: Budget; readonly phase?: Budget } {
  const raised: RaisedBudgets = state.budgets ?? {};
  const run = merge(state.workflow.budget, raised.run);
  const phase = merge(state.definitions[phaseId]?.budget, raised.phases?.[phaseId]);
  return { ...(run === undefined ? {} : { run }), ...(phase === undefined ? {} : { phase }) };
}

function merge(written: Budget | undefined, raised: Budget | undefined): Budget | undefined {
  if (written === undefined) return raised;
  if (raised === undefined) return written;
  return { ...written, ...raised };
}
