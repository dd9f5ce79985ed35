import type { Queryable } from '../db.js';

/** Marks an attempt's task done: its result arrived (even a stale one). */
export async function finishTask(
  db: Queryable,
  runId: string,
  phaseId: string,
  attempt: number,
  now: number,
): Promise<void> {
  await db.query(
    `UPDATE tasks SET status = 'done', finished_at = to_timestamp($4 / 1000.0)
      WHERE run_id = $1 AND phase_id = $2 AND attempt = $3 AND status <> 'done'`,
    [runId, phaseId, attempt, now],
  );
}
