import type { TaskKey } from '@baton/engine';
import type { Queryable } from '../db.js';

/**
 * Running tasks whose lease expired at or before `now` (of one run, or of all; of one tenant, or
 * of all), earliest expiry first, at most `limit`.
 *
 * Locking: none — a plain read. It only nominates candidates; each is decided again under its
 * run's lock by `take-expired-task.ts`, so a lease renewed or a result recorded in between wins.
 */
export async function selectExpiredTasks(
  db: Queryable,
  now: number,
  runId: string | undefined,
  limit: number,
  tenantId: string | undefined,
): Promise<TaskKey[]> {
  return db.query<TaskKey>(
    `SELECT run_id AS "runId", phase_id AS "phaseId", attempt
       FROM tasks
      WHERE status = 'running'
        AND lease_expires_at <= to_timestamp($1 / 1000.0)
        AND ($2::text IS NULL OR run_id = $2::text)
        AND ($4::text IS NULL OR tenant_id = $4::text)
      ORDER BY lease_expires_at, id
      LIMIT $3`,
    [now, runId ?? null, limit, tenantId ?? null],
  );
}
