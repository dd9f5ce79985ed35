import type { RunState } from '../types.js';

/**
 * Why a run may not be deleted now, or undefined when it may: it is running (a phase runs or is
 * about to start), or an attempt of it still runs — a paused run lets its running attempts
 * finish. `running`: the run's tasks that are claimed and have no result yet. The message says
 * what the run is doing and what to do instead. Both stores refuse `deleteRun` with it.
 */
export function deleteRefusal(
  state: RunState,
  running: readonly { readonly phaseId: string; readonly attempt: number }[],
): string | undefined {
  if (state.status !== 'running' && running.length === 0) return undefined;
  let doing = '';
  if (running.length > 0) {
    const attempts = running.map((task) => `"${task.phaseId}" (attempt ${task.attempt})`);
    doing = `: ${phases(attempts)} running`;
  } else {
    const active = state.order.filter((id) => {
      const status = state.phases[id]?.status;
      return status === 'running' || status === 'ready';
    });
    if (active.length > 0) doing = `: ${phases(active.map((id) => `"${id}"`))} running or about to start`;
  }
  const status = state.status === 'running' ? 'is running' : `is ${state.status}, but an attempt still runs`;
  return `run ${state.runId} ${status}${doing}; cancel the run first, then delete it once no attempt runs`;
}

/** `phase "a" is` / `phases "a", "b" and 3 more are`. */
function phases(names: readonly string[]): string {
  const more = names.length > 3 ? ` and ${names.length - 3} more` : '';
  const one = names.length === 1;
  return `${one ? 'phase' : 'phases'} ${names.slice(0, 3).join(', ')}${more} ${one ? 'is' : 'are'}`;
}
