/**
 * When each running attempt last showed it is alive: its latest heartbeat (the store's running
 * tasks, written by whichever worker holds it) or its latest live progress (an agent typing, a
 * tool's output — heard from every process on the database), whichever is later. A progress
 * view that shows only completions makes a wedged agent look like a working one; this is the
 * `lastActivityAt` of the run view.
 */
import type { RunStore } from '@baton/engine';
import type { PhaseActivity } from '../runs/run-view.js';

export interface ActivityTracker {
  /** By phase: the latest activity of the run's running attempts (epoch ms). */
  of(runId: string): Promise<PhaseActivity>;
  stop(): Promise<void>;
}

/** The newest progress kept per run; a run that stopped reporting is forgotten after this many. */
const MAX_RUNS = 10_000;

export async function trackActivity(store: RunStore): Promise<ActivityTracker> {
  const progress = new Map<string, Map<string, { attempt: number; at: number }>>();
  const unsubscribe = await store.subscribeProgress((event) => {
    let phases = progress.get(event.runId);
    if (phases === undefined) {
      if (progress.size >= MAX_RUNS) progress.delete(progress.keys().next().value!);
      phases = new Map();
      progress.set(event.runId, phases);
    }
    // A later attempt's progress replaces an earlier one's; an earlier attempt's (late, or heard
    // again through PostgreSQL) never replaces a later one's.
    const known = phases.get(event.phaseId);
    if (
      known === undefined ||
      known.attempt < event.attempt ||
      (known.attempt === event.attempt && known.at < event.at)
    )
      phases.set(event.phaseId, { attempt: event.attempt, at: event.at });
  });
  return {
    async of(runId) {
      const activity = new Map<string, number>();
      const reported = progress.get(runId);
      for (const task of await store.runningTasks({ runId })) {
        const typed = reported?.get(task.phaseId);
        const at = typed?.attempt === task.attempt ? Math.max(typed.at, task.heartbeatAt) : task.heartbeatAt;
        activity.set(task.phaseId, at);
      }
      return activity;
    },
    stop: unsubscribe,
  };
}
