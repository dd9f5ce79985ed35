/**
 * What a step does when it met a phase move the transition table does not allow (a bug in the
 * engine) and `strictTransitions` is off, as in production: its events are dropped, and a step of
 * its own fails, with code `INTERNAL` and a message naming the move:
 *
 * - each phase that moved impossibly (when it existed before the step);
 * - the input's own phase, when the input belongs to its current attempt (a claim of a `ready`
 *   phase, a result or a signal of a `running` one): the store finishes that attempt's task with
 *   the input, so the phase must not be left `running` without one; a claim that failed its phase
 *   hands no task to a worker (see {@link claimStarted});
 * - else, when no phase above exists (the move was on a phase the step itself added, such as a
 *   map's instance), the input's own phase.
 *
 * A failed phase waits for a person like any failed phase (retry or skip it; its `onFailure` does
 * not apply), so the run stays resumable. The input is not refused or retried, so the bug cannot
 * become a crash loop of a worker re-delivering it. A person's input that names no phase (pause,
 * cancel, a run's budget) and met an impossible move is refused instead, naming the move: nothing
 * changes and nothing loops. For a new run (`create`) the step keeps `run_created` and the phases a
 * fork took over, and the other phases start as usual.
 */
import type { RunEvent, RunInput, RunState } from '../types.js';
import { createStepContext } from './create-step-context.js';
import { refuse } from './outcome.js';
import { describeImpossibleTransition, type ImpossibleTransition } from './phase-transitions.js';
import type { StepContext } from './step-context.js';
import type { StepResult } from './step-result.js';

/** The inputs that belong to one attempt of their phase (the store finishes or claims its task). */
const ATTEMPT_INPUTS: ReadonlySet<RunInput['type']> = new Set([
  'claim',
  'succeed',
  'fail',
  'abandon',
  'suspend',
  'warn',
  'trace',
]);

/**
 * The step that replaces one that made impossible moves: from `state` (for a `create`, from the
 * original step's `run_created` and `phase_copied` events), the phases above fail with `INTERNAL` —
 * a running attempt is aborted, a queued task dropped. Returns the settled result, or a refusal
 * when there is no phase to fail.
 */
export function failImpossibleTransitions(
  state: RunState | undefined,
  original: readonly RunEvent[],
  impossible: readonly ImpossibleTransition[],
  input: RunInput,
  now: number,
): StepResult {
  const moves = impossible.map(describeImpossibleTransition).join('; ');
  const reason = `${moves} on input "${input.type}"`;
  const ctx = createStepContext(state, now, { checkTransitions: false });
  if (state === undefined) {
    for (const event of original) {
      if (event.type === 'run_created' || event.type === 'phase_copied') ctx.emit(withoutNumbering(event));
    }
  }
  const targets = phasesToFail(ctx, state, impossible, input);
  if (targets.length === 0) {
    return refuse('INVALID_TRANSITION', `${reason}: a bug in Baton's engine; nothing was changed`);
  }
  for (const phaseId of targets) failPhase(ctx, phaseId, reason);
  // A new run: the phases that did not fail start as usual.
  if (state === undefined) ctx.examineAll();
  return { ok: true, state: ctx.settle(), events: ctx.events, commands: ctx.commands };
}

/**
 * True when `result`, the step of a claim of `(phaseId, attempt)`, started that attempt: only then
 * may a store hand the task to a worker. A claim the engine ignored, or whose step failed the phase
 * instead (an impossible move), starts nothing.
 */
export function claimStarted(result: StepResult, phaseId: string, attempt: number): boolean {
  if (!result.ok || result.ignored !== undefined) return false;
  const phase = result.state.phases[phaseId];
  return phase?.status === 'running' && phase.attempt === attempt;
}

function phasesToFail(
  ctx: StepContext,
  state: RunState | undefined,
  impossible: readonly ImpossibleTransition[],
  input: RunInput,
): string[] {
  const existed = (id: string) =>
    (state === undefined ? ctx.state.phases[id] : state.phases[id]) !== undefined;
  const targets = new Set(impossible.map((move) => move.phaseId).filter(existed));
  const own = 'phaseId' in input && input.phaseId !== undefined ? input.phaseId : undefined;
  if (own !== undefined && state?.phases[own] !== undefined) {
    const phase = state.phases[own];
    const current = 'attempt' in input && input.attempt === phase.attempt;
    const attemptBound =
      ATTEMPT_INPUTS.has(input.type) && current && (phase.status === 'running' || input.type === 'claim');
    if (attemptBound || targets.size === 0) targets.add(own);
  }
  return [...targets];
}

function failPhase(ctx: StepContext, phaseId: string, reason: string): void {
  const phase = ctx.phase(phaseId);
  if (phase.status === 'running' && ctx.state.definitions[phaseId]?.kind !== 'human') {
    ctx.command({ type: 'abort', phaseId, attempt: phase.attempt, reason });
  }
  if (phase.status === 'ready') ctx.command({ type: 'dequeue', phaseId });
  ctx.emit({
    type: 'phase_failed',
    phaseId,
    attempt: phase.attempt,
    error: {
      code: 'INTERNAL',
      message: `${reason}: a bug in Baton's engine; the input's other effects were not applied. Retry or skip the phase to go on`,
    },
  });
}

function withoutNumbering(event: RunEvent): Parameters<StepContext['emit']>[0] {
  const { seq: _seq, at: _at, ...body } = event;
  return body;
}
