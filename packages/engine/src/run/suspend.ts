/**
 * Signals from a running attempt that are not its result: `suspend` (the attempt stops to wait
 * for a person — an agent's interrupt, or a model call that would cross a budget), `warn` (a
 * warning recorded on the phase) and `trace` (a tool call of its agent, in the log). Like results, they only count for the phase's current running
 * attempt; anything else is ignored.
 */
import type { RunInput } from '../types.js';
import type { HandlerOutcome } from './outcome.js';
import type { StepContext } from './step-context.js';

type SignalInput = Extract<RunInput, { type: 'suspend' | 'warn' | 'trace' }>;

/**
 * Applies a running attempt's signal: `suspend` (the phase waits for a person, with `pauseRun` the
 * run pauses too), `warn` (`phase_warning`) or `trace` (`tool_called`). Never refused: a signal
 * for anything but the phase's current running attempt (or for a human phase) is ignored.
 */
export function applyAttemptSignal(ctx: StepContext, input: SignalInput): HandlerOutcome {
  const { phaseId, attempt } = input;
  const phase = ctx.phase(phaseId);
  if (phase.status !== 'running' || phase.attempt !== attempt || ctx.definition(phaseId).kind === 'human') {
    return {
      ignored: `attempt ${attempt} of "${phaseId}" is not running (the phase is ${phase.status} at attempt ${phase.attempt})`,
    };
  }
  if (input.type === 'trace') {
    ctx.emit({
      type: 'tool_called',
      phaseId,
      attempt,
      tool: input.tool,
      input: input.input,
      ...(input.output === undefined ? {} : { output: input.output }),
      ...(input.error === undefined ? {} : { error: input.error }),
    });
    return undefined;
  }
  if (input.type === 'warn') {
    ctx.emit({ type: 'phase_warning', phaseId, attempt, code: input.code, message: input.message });
    return undefined;
  }
  ctx.emit({ type: 'waiting_for_human', phaseId, attempt, reason: input.reason, source: input.source });
  if (input.pauseRun === true && !ctx.state.paused) {
    ctx.emit({ type: 'run_paused', by: `agent of "${phaseId}"`, reason: input.reason });
    for (const id of ctx.state.order) {
      if (ctx.phase(id).status === 'ready') ctx.command({ type: 'dequeue', phaseId: id });
    }
  }
  return undefined;
}
