/**
 * What a step does when it met a phase move the transition table does not allow (a bug in the
 * engine) and `strictTransitions` is off, as in production: its events are dropped, and a step of
 * its own fails each phase that moved impossibly with code `INTERNAL`, naming the move. The phase
 * then waits for a person like any failed phase (retry or skip it; its `onFailure` does not apply),
 * and the run stays resumable — the input is not refused or retried, so the bug cannot turn into a
 * crash loop of a worker re-delivering it.
 */
import type { RunEventBody, RunState } from '../types.js';
import { createStepContext } from './create-step-context.js';
import { describeImpossibleTransition, type ImpossibleTransition } from './phase-transitions.js';
import type { StepContext } from './step-context.js';

/**
 * The step that replaces one that made impossible moves: from `state` (for a `create`, from the
 * run's `run_created` alone, and the other phases start as usual), each phase named in
 * `impossible` fails with code `INTERNAL` — its running attempt is aborted, its queued task
 * dropped. The caller settles the returned context.
 */
export function failImpossibleTransitions(
  state: RunState | undefined,
  created: RunEventBody | undefined,
  impossible: readonly ImpossibleTransition[],
  input: string,
  now: number,
): StepContext {
  const ctx = createStepContext(state, now, { checkTransitions: false });
  if (state === undefined && created !== undefined) ctx.emit(created);
  const failed = new Set<string>();
  for (const move of impossible) {
    if (failed.has(move.phaseId) || ctx.state.phases[move.phaseId] === undefined) continue;
    failed.add(move.phaseId);
    const phase = ctx.phase(move.phaseId);
    const reason = `${describeImpossibleTransition(move)} on input "${input}"`;
    if (phase.status === 'running' && ctx.state.definitions[move.phaseId]?.kind !== 'human') {
      ctx.command({ type: 'abort', phaseId: move.phaseId, attempt: phase.attempt, reason });
    }
    if (phase.status === 'ready') ctx.command({ type: 'dequeue', phaseId: move.phaseId });
    ctx.emit({
      type: 'phase_failed',
      phaseId: move.phaseId,
      attempt: phase.attempt,
      error: {
        code: 'INTERNAL',
        message: `${reason}: a bug in Baton's engine; the input's other effects were not applied. Retry or skip the phase to go on`,
      },
    });
  }
  // A new run: the phases that did not fail start as usual.
  if (state === undefined) ctx.examineAll();
  return ctx;
}
