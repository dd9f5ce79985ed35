import type { Queryable } from '../db.js';
import type { RunRow } from '../run-state-cache.js';

/**
 * Like `lockRun`, but gives up at once when another transaction holds the run's row: returns its
 * last sequence number and tenant, or undefined when the row is locked (or gone).
 *
 * Locking: the claimer holds task rows (`select-due-tasks.ts`) when it needs the run's row — the
 * reverse order of a transition, which holds the run's row and may then delete or update that
 * run's tasks (dequeue, results). Waiting here could deadlock; skipping cannot, because the claimer
 * never waits while it holds task locks. A task skipped this way stays queued and is claimed after
 * the transition committed (its commit wakes the workers). A row this transaction locked already
 * (`apply` with `claimNext`) is not skipped: a lock never conflicts with its own transaction.
 */
export async function tryLockRun(db: Queryable, runId: string): Promise<RunRow | undefined> {
  const rows = await db.query<RunRow>(
    `SELECT id AS "runId", last_seq AS "lastSeq", tenant_id AS "tenantId"
       FROM runs WHERE id = $1 FOR UPDATE SKIP LOCKED`,
    [runId],
  );
  return rows[0];
}
