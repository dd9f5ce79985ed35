import type { Queryable } from '../db.js';

/** Marks a claimed task running. */
export async function startTask(
  db: Queryable,
  runId: string,
  phaseId: string,
  attempt: number,
  now: number,
): Promise<void> {
  await db.query(
    `UPDATE tasks SET status = 'running', claimed_at = to_timestamp($4 / 1000.0)
      WHERE run_id = $1 AND phase_id = $2 AND attempt = $3`,
    [runId, phaseId, attempt, now],
  );
}
