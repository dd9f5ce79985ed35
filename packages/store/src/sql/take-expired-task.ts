import type { TaskKey } from '@baton/engine';
import type { Queryable } from '../db.js';

/**
 * Finishes a running task if its lease has expired at `now`; returns whether it did. The caller
 * holds the task's run lock and then records the attempt as lost.
 *
 * Locking: the run's row first (the caller's `lock-run.ts`), then this task's row — the order every
 * transition uses. The UPDATE is a compare-and-set: if a heartbeat renewed the lease, or the
 * worker's result finished the task, after `select-expired-tasks.ts` read it, the WHERE no longer
 * matches the committed row (or the row it waited for) and nothing is taken.
 */
export async function takeExpiredTask(db: Queryable, task: TaskKey, now: number): Promise<boolean> {
  const rows = await db.query<{ id: string }>(
    `UPDATE tasks SET status = 'done', finished_at = to_timestamp($4 / 1000.0)
      WHERE run_id = $1 AND phase_id = $2 AND attempt = $3
        AND status = 'running' AND lease_expires_at <= to_timestamp($4 / 1000.0)
     RETURNING id`,
    [task.runId, task.phaseId, task.attempt, now],
  );
  return rows.length > 0;
}
