import type { Queryable } from '../db.js';
import type { QueuedTask } from '@baton/engine';

/**
 * Queues an attempt, due at `runAt`. An attempt is queued at most once: a second `enqueue` of the
 * same `(run, phase, attempt)` does nothing.
 */
export async function insertTask(db: Queryable, task: QueuedTask, now: number): Promise<void> {
  await db.query(
    `INSERT INTO tasks (run_id, phase_id, attempt, kind, status, run_at, created_at)
     VALUES ($1, $2, $3, $4, 'queued', to_timestamp($5 / 1000.0), to_timestamp($6 / 1000.0))
     ON CONFLICT (run_id, phase_id, attempt) DO NOTHING`,
    [task.runId, task.phaseId, task.attempt, task.kind, task.runAt, now],
  );
}
