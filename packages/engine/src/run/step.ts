/**
 * The scheduler: `step(state, input, now) -> { state, events, commands }`. Pure — no I/O, no clock
 * (time is `now`), no randomness. The rules are documented in `docs/engine.md`.
 *
 * Inputs and their preconditions:
 * - `create`            — no state yet; a fork's phases each with everything they need.
 * - `claim`             — phase `ready` with that attempt, due, run neither paused nor ended; else ignored.
 * - `succeed`/`fail`/`abandon`/`suspend`/`warn` — phase `running` with that attempt; else ignored
 *                         (stale/duplicate).
 * - `raise_budget`      — run not ended, a valid budget, an agent phase (or none: the run's).
 * - `decide`            — phase `waiting_for_human`; else INVALID_TRANSITION.
 * - `retry`/`skip`      — phase `failed`/`rejected`/`cancelled`, run not cancelled; else INVALID_TRANSITION.
 * - `rewind`            — phase has run (attempt > 0 or not blocked), run not cancelled, changed
 *                         inputs match the inputs schema; else INVALID_TRANSITION / INVALID_INPUT.
 * - `retry_run`         — run failed with a failed or rejected phase; else INVALID_TRANSITION.
 * - `pause`/`cancel`    — run not ended (and not already paused); `resume` — run paused.
 * - `set_title`         — any run, ended ones too; a title `checkTitle` accepts, else INVALID_INPUT;
 *                         ignored from an output once a person titled the run.
 */
import type { RunInput, RunState } from '../types.js';
import { applyDecision } from './decisions.js';
import { applyRunControl } from './run-control.js';
import { checkFork, copyForkedPhases } from './fork.js';
import { noSuchPhase } from './no-such-phase.js';
import { applyResult } from './results.js';
import { applyRewind } from './rewind.js';
import { applyRunRetry } from './retry-run.js';
import { applyAttemptSignal } from './suspend.js';
import { applyRaiseBudget } from './budgets.js';
import { applySetTitle, checkTitle } from './title.js';
import { refuse, type HandlerOutcome } from './outcome.js';
import { createStepContext, type CheckedStepContext } from './create-step-context.js';
import { failImpossibleTransitions } from './impossible-transitions.js';
import type { StepContext, StepOptions } from './step-context.js';
import type { StepResult } from './step-result.js';

export type { StepResult } from './step-result.js';

/**
 * Applies one input to a run. `state` is undefined only for `create`. A phase move the transition
 * table (`phase-transitions.ts`) does not allow throws with `options.strictTransitions`; otherwise
 * the step instead fails the phases that moved impossibly (`INTERNAL`, see
 * `impossible-transitions.ts`).
 */
export function step(
  state: RunState | undefined,
  input: RunInput,
  now: number,
  options: StepOptions = {},
): StepResult {
  if (input.type === 'create') {
    if (state !== undefined) return refuse('INVALID_TRANSITION', `run "${state.runId}" already exists`);
    const refused = input.fork === undefined ? undefined : checkFork(input, input.fork);
    if (refused !== undefined && 'error' in refused) return { ok: false, error: refused.error };
    const title = input.title === undefined ? undefined : checkTitle(input.title);
    if (title !== undefined && 'problem' in title) return refuse('INVALID_INPUT', title.problem);
    const ctx = createStepContext(undefined, now, options);
    ctx.emit({
      type: 'run_created',
      runId: input.runId,
      workflow: input.workflow,
      fixtures: input.fixtures,
      inputs: input.inputs,
      by: input.by,
      ...(input.fork === undefined
        ? {}
        : {
            forkedFrom: {
              runId: input.fork.runId,
              ...(input.fork.from === undefined ? {} : { from: input.fork.from }),
            },
          }),
    });
    if (title !== undefined)
      ctx.emit({ type: 'run_titled', title: title.title, by: input.by, source: 'person' });
    if (input.fork !== undefined) copyForkedPhases(ctx, input.fork);
    ctx.examineAll();
    return settled(undefined, input, ctx, now);
  }
  if (state === undefined) return refuse('RUN_NOT_FOUND', `no run to apply "${input.type}" to`);
  const phaseId = 'phaseId' in input ? input.phaseId : undefined;
  if (phaseId !== undefined && state.phases[phaseId] === undefined) {
    return refuse('PHASE_NOT_FOUND', noSuchPhase(state, phaseId));
  }
  if (phaseId !== undefined && state.definitions[phaseId] === undefined) {
    // An instance of a map's earlier items: its map has read them again since.
    const why = `phase "${phaseId}" is no longer part of run ${state.runId}: its map read its items again`;
    if (
      input.type === 'claim' ||
      input.type === 'succeed' ||
      input.type === 'fail' ||
      input.type === 'abandon' ||
      input.type === 'suspend' ||
      input.type === 'warn' ||
      input.type === 'trace'
    )
      return { ok: true, state, events: [], commands: [], ignored: why };
    return refuse('INVALID_TRANSITION', why);
  }

  const ctx = createStepContext(state, now, options);
  const outcome = dispatch(ctx, input);
  if (outcome !== undefined && 'error' in outcome) return { ok: false, error: outcome.error };
  if (outcome !== undefined && 'ignored' in outcome) {
    return { ok: true, state, events: [], commands: [], ignored: outcome.ignored };
  }
  return settled(state, input, ctx, now);
}

/** Settles the step; a step that made an impossible phase move is replaced by its failure. */
function settled(
  state: RunState | undefined,
  input: RunInput,
  ctx: CheckedStepContext,
  now: number,
): StepResult {
  const next = ctx.settle();
  if (ctx.impossible.length === 0)
    return { ok: true, state: next, events: ctx.events, commands: ctx.commands };
  return failImpossibleTransitions(state, ctx.events, ctx.impossible, input, now);
}

function dispatch(ctx: StepContext, input: Exclude<RunInput, { type: 'create' }>): HandlerOutcome {
  switch (input.type) {
    case 'claim':
    case 'succeed':
    case 'fail':
    case 'abandon':
      return applyResult(ctx, input);
    case 'decide':
    case 'retry':
    case 'skip':
      return applyDecision(ctx, input);
    case 'suspend':
    case 'warn':
    case 'trace':
      return applyAttemptSignal(ctx, input);
    case 'raise_budget':
      return applyRaiseBudget(ctx, input);
    case 'rewind':
      return applyRewind(ctx, input);
    case 'retry_run':
      return applyRunRetry(ctx, input);
    case 'pause':
    case 'resume':
    case 'cancel':
      return applyRunControl(ctx, input);
    case 'set_title':
      return applySetTitle(ctx, input);
  }
}
