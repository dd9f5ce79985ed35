import type { Queryable } from '../db.js';

/** A task's status and the token of its (latest) lease. */
export interface TaskLease {
  readonly status: 'queued' | 'running' | 'done';
  readonly leaseToken: string | null;
}

/**
 * The status and lease token of an attempt's task, or undefined when it has none. Read while
 * holding the run's lock: a task's lease changes hands only under that lock (claims and
 * recoveries take it), so the answer holds until the transaction ends.
 */
export async function selectTaskLease(
  db: Queryable,
  runId: string,
  phaseId: string,
  attempt: number,
): Promise<TaskLease | undefined> {
  const rows = await db.query<TaskLease>(
    `SELECT status, lease_token AS "leaseToken"
       FROM tasks
      WHERE run_id = $1 AND phase_id = $2 AND attempt = $3`,
    [runId, phaseId, attempt],
  );
  return rows[0];
}
