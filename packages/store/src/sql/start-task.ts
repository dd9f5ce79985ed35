import type { Queryable } from '../db.js';

/** Marks a claimed task running under a new lease that lasts until `lease.expiresAt`. */
export async function startTask(
  db: Queryable,
  task: { readonly runId: string; readonly phaseId: string; readonly attempt: number },
  lease: { readonly token: string; readonly expiresAt: number },
  workerId: string | undefined,
  now: number,
): Promise<void> {
  await db.query(
    `UPDATE tasks
        SET status = 'running', claimed_at = to_timestamp($4 / 1000.0), lease_token = $5,
            lease_expires_at = to_timestamp($6 / 1000.0), worker_id = $7
      WHERE run_id = $1 AND phase_id = $2 AND attempt = $3`,
    [task.runId, task.phaseId, task.attempt, now, lease.token, lease.expiresAt, workerId ?? null],
  );
}
