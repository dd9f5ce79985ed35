/** A person's control of the whole run: pause, resume, cancel. */
import type { RunInput } from '../types.js';
import type { StepContext } from './step-context.js';
import { refuse, type HandlerOutcome } from './outcome.js';

type ControlInput = Extract<RunInput, { type: 'pause' | 'resume' | 'cancel' }>;

/**
 * Applies `pause` (no new attempt starts; queued tasks are dequeued, running attempts finish),
 * `resume` (ready phases start again) or `cancel` (every unfinished phase is cancelled, running
 * attempts aborted; final). Refused (`INVALID_TRANSITION`) when the run has ended, when pausing a
 * paused run or resuming one that is not paused.
 */
export function applyRunControl(ctx: StepContext, input: ControlInput): HandlerOutcome {
  const state = ctx.state;
  if (state.ended !== undefined) {
    return refuse(
      'INVALID_TRANSITION',
      `run ${state.runId} has ended (${state.ended.status}); nothing to ${input.type}`,
    );
  }
  switch (input.type) {
    case 'pause':
      if (state.paused)
        return refuse(
          'INVALID_TRANSITION',
          `run ${state.runId} is already paused; resume it with \`baton resume ${state.runId}\``,
        );
      ctx.emit({
        type: 'run_paused',
        by: input.by,
        ...(input.reason === undefined ? {} : { reason: input.reason }),
      });
      for (const id of state.order) {
        if (ctx.phase(id).status === 'ready') ctx.command({ type: 'dequeue', phaseId: id });
      }
      return undefined;
    case 'resume':
      if (!state.paused) return refuse('INVALID_TRANSITION', `run ${state.runId} is not paused`);
      ctx.emit({ type: 'run_resumed', by: input.by });
      for (const id of state.order) {
        if (ctx.phase(id).status === 'ready') ctx.start(id);
      }
      return undefined;
    case 'cancel':
      ctx.cancelUnfinished(
        `run cancelled by ${input.by}${input.reason === undefined ? '' : `: ${input.reason}`}`,
        'run',
      );
      ctx.emit({
        type: 'run_cancelled',
        by: input.by,
        ...(input.reason === undefined ? {} : { reason: input.reason }),
      });
      return undefined;
  }
}
