import type { Queryable } from '../db.js';
import type { RunRow } from '../run-state-cache.js';

/**
 * Locks the run's row for the rest of the transaction and returns its last sequence number and
 * tenant, or undefined when there is no such run — or it is not `tenantId`'s (when given: a tenant's
 * view must not see, let alone lock, another tenant's run).
 *
 * Locking: this row lock serialises every transition of a run. Whoever holds it reads the log up
 * to `last_seq`, decides, appends `last_seq + 1 …` and commits before the next transition of the
 * same run may read anything — so two phases finishing at once cannot both see the other still
 * running and both (or neither) make a fan-in ready, and the log stays gap-free. It is safe from
 * deadlocks because a transition waits for exactly one run row and takes it before touching that
 * run's tasks; the claimer, which locks tasks first, never waits for a run row (`try-lock-run.ts`)
 * — not even a transition claiming next tasks under this lock (`claim-tasks.ts`).
 * Under READ COMMITTED each later statement of the transaction sees what the previous holder
 * committed.
 */
export async function lockRun(
  db: Queryable,
  runId: string,
  tenantId: string | undefined,
): Promise<RunRow | undefined> {
  const rows = await db.query<RunRow>(
    `SELECT id AS "runId", last_seq AS "lastSeq", tenant_id AS "tenantId"
       FROM runs
      WHERE id = $1 AND ($2::text IS NULL OR tenant_id = $2::text)
        FOR UPDATE`,
    [runId, tenantId ?? null],
  );
  return rows[0];
}
