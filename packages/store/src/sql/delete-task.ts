import type { Queryable } from '../db.js';

/** Removes a task whose claim was stale (the attempt is no longer ready). */
export async function deleteTask(
  db: Queryable,
  runId: string,
  phaseId: string,
  attempt: number,
): Promise<void> {
  await db.query(`DELETE FROM tasks WHERE run_id = $1 AND phase_id = $2 AND attempt = $3`, [
    runId,
    phaseId,
    attempt,
  ]);
}
