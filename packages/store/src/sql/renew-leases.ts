import type { TaskKey } from '@baton/engine';
import type { Queryable } from '../db.js';

/**
 * Moves the lease expiry of the given running tasks to `expiresAt` and their sign of life to
 * `now`, for those whose lease token still matches (and that are `tenantId`'s, when given), and
 * returns the tasks it renewed (the others were recovered or finished, or are not the tenant's).
 *
 * Locking: one statement that locks the matching task rows in `id` order, then updates them. It
 * takes no run lock, and it is the only statement that locks several running tasks: transitions
 * and recoveries lock one running task each, after their run's row. Two heartbeats of overlapping
 * sets lock in the same order, so they queue instead of deadlocking. Against recovery it is a
 * compare-and-set: whichever commits first wins, and the other re-checks `status`/`lease_token`/
 * `lease_expires_at` on the committed row (READ COMMITTED re-evaluates the WHERE of a row it waited
 * for), so a lease is never both renewed and recovered.
 */
export async function renewLeases(
  db: Queryable,
  leases: readonly { readonly task: TaskKey; readonly token: string }[],
  now: number,
  expiresAt: number,
  tenantId: string | undefined,
): Promise<TaskKey[]> {
  if (leases.length === 0) return [];
  const wanted = leases.map(({ task, token }) => ({
    run_id: task.runId,
    phase_id: task.phaseId,
    attempt: task.attempt,
    token,
  }));
  return db.query<TaskKey>(
    `WITH held AS (
       SELECT t.id
         FROM tasks t
         JOIN jsonb_to_recordset($1::jsonb) AS w(run_id text, phase_id text, attempt integer, token text)
           ON t.run_id = w.run_id AND t.phase_id = w.phase_id AND t.attempt = w.attempt
              AND t.lease_token = w.token
        WHERE t.status = 'running' AND ($4::text IS NULL OR t.tenant_id = $4::text)
        ORDER BY t.id
          FOR UPDATE OF t
     )
     UPDATE tasks
        SET lease_expires_at = to_timestamp($2 / 1000.0), heartbeat_at = to_timestamp($3 / 1000.0)
       FROM held
      WHERE tasks.id = held.id AND tasks.status = 'running'
     RETURNING tasks.run_id AS "runId", tasks.phase_id AS "phaseId", tasks.attempt`,
    [JSON.stringify(wanted), expiresAt, now, tenantId ?? null],
  );
}
