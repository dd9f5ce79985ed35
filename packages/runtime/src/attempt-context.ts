import {
  NO_USAGE,
  type AttemptContext,
  type Clock,
  type PhaseProgress,
  type RunStore,
  type TaskKey,
} from '@baton/engine';

/** Receives the live progress of attempts (a UI, the CLI's progress view). */
export type ProgressListener = (task: TaskKey, update: PhaseProgress) => void;

/**
 * The {@link AttemptContext} of one attempt: model calls go to the store's ledger, warnings are
 * applied to the run as `warn` inputs (ignored once the attempt is no longer current), progress
 * goes to `onProgress` and to the store's progress subscribers (with the task's tenant, when
 * given: a claimed task has it).
 */
export function createAttemptContext(
  store: RunStore,
  task: TaskKey & { readonly tenantId?: string },
  clock: Clock,
  onProgress?: ProgressListener,
): AttemptContext {
  const { runId, phaseId, attempt, tenantId } = task;
  const whose = tenantId === undefined ? {} : { tenantId };
  return {
    async recordModelCall(call) {
      await store.recordModelCall({ ...call, runId, phaseId, attempt });
    },
    async usage() {
      const usage = await store.modelUsage(runId);
      const phase = usage.phases.find((p) => p.phaseId === phaseId);
      return { run: usage.total, phase: phase ?? NO_USAGE };
    },
    async warn(code, message) {
      await store.apply(runId, { type: 'warn', phaseId, attempt, code, message }, clock.now());
    },
    progress(update) {
      onProgress?.(task, update);
      // Live only: a progress event that cannot be published is simply not seen.
      store
        .publishProgress({
          type: 'phase_progress',
          runId,
          ...whose,
          phaseId,
          attempt,
          at: clock.now(),
          ...update,
        })
        .catch(() => undefined);
    },
    async trace(call) {
      await store.apply(runId, { type: 'trace', phaseId, attempt, ...call }, clock.now());
    },
    readBlob(sha256) {
      return store.getBlob(sha256);
    },
  };
}
