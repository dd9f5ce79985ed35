import type { AttemptContext, ClaimedTask, PhaseDefinition, PhaseHandler, RunInput } from '@baton/engine';
import type { ArtifactReader } from './artifact-cache.js';
import { buildPhaseTask } from './build-phase-task.js';
import { formatDuration } from './format-duration.js';

/** Finds the handler of a phase (by kind, and agent name for agents). */
export interface HandlerLookup {
  forPhase(phase: PhaseDefinition): PhaseHandler | undefined;
}

/**
 * Executes one claimed attempt and returns the input that reports its result. Carries out the
 * claim's `deadline` command: past it the attempt is aborted and reported as a `TIMEOUT` failure.
 * `interrupted()` says whether the worker is being interrupted (Ctrl-C, shutdown): an attempt
 * aborted for that reason is reported as `abandon {cause: interrupted}`. A success that arrives
 * despite an abort is kept — the work is done.
 */
export async function runAttempt(
  read: ArtifactReader,
  handlers: HandlerLookup,
  task: ClaimedTask,
  controller: AbortController,
  options: {
    readonly now: () => number;
    readonly interrupted: () => boolean;
    readonly context: AttemptContext;
  },
): Promise<RunInput> {
  const { phaseId, attempt } = task;
  let timedOut: string | undefined;
  const deadline = task.commands.find((c) => c.type === 'deadline');
  const timer =
    deadline === undefined
      ? undefined
      : setTimeout(
          () => {
            const limit = task.state.definitions[phaseId]?.timeoutMs ?? 0;
            timedOut = `timed out after ${formatDuration(limit)}`;
            controller.abort(timedOut);
          },
          Math.max(0, deadline.at - options.now()),
        );
  try {
    const input = await execute(read, handlers, task, controller.signal, options.context);
    if (input.type === 'succeed' || input.type === 'suspend') return input;
    if (options.interrupted() && controller.signal.aborted)
      return { type: 'abandon', phaseId, attempt, cause: 'interrupted' };
    if (timedOut !== undefined) {
      return {
        type: 'fail',
        phaseId,
        attempt,
        error: { code: 'TIMEOUT', message: timedOut },
        retryable: true,
      };
    }
    return input;
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}

async function execute(
  read: ArtifactReader,
  handlers: HandlerLookup,
  task: ClaimedTask,
  signal: AbortSignal,
  context: AttemptContext,
): Promise<RunInput> {
  const { phaseId, attempt } = task;
  const prepared = await buildPhaseTask(read, task);
  if (!prepared.ok) return { type: 'fail', phaseId, attempt, error: prepared.error, retryable: false };
  const handler = handlers.forPhase(prepared.task.phase);
  if (handler === undefined) {
    const phase = prepared.task.phase;
    const what = phase.agent === undefined ? phase.kind : `agent "${phase.agent}"`;
    return {
      type: 'fail',
      phaseId,
      attempt,
      error: { code: 'NO_HANDLER', message: `no handler for ${what}` },
      retryable: false,
    };
  }
  try {
    const result = await handler.execute(prepared.task, signal, context);
    if (result.ok) return { type: 'succeed', phaseId, attempt, output: result.output };
    // A suspend request is the `suspend` input's own fields (source, reason, pauseRun).
    if ('suspended' in result) return { type: 'suspend', phaseId, attempt, ...result.suspended };
    return { type: 'fail', phaseId, attempt, error: result.error, retryable: result.retryable };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { type: 'fail', phaseId, attempt, error: { code: 'HANDLER_CRASHED', message }, retryable: true };
  }
}
