import type { Queryable } from '../db.js';

/**
 * Deletes a run's row; its events, phases, tasks and artifacts go with it (`ON DELETE CASCADE`).
 * Model calls and file contents have no reference to the run and stay (the blob sweep frees the
 * contents no row names any more, `blobs/blob-sweep.ts`). The same statement leaves a
 * tombstone (`run_tombstones`, migration 0012) carrying this transaction's id, so that the tenant
 * stream (`run-changes.ts`) tells its followers the run is gone. The caller holds the run's lock
 * (`lock-run.ts`).
 */
export async function deleteRun(db: Queryable, runId: string): Promise<void> {
  await db.query(
    `WITH gone AS (DELETE FROM runs WHERE id = $1 RETURNING id, tenant_id)
     INSERT INTO run_tombstones (tenant_id, run_id, deleted_at)
     SELECT tenant_id, id, now() FROM gone`,
    [runId],
  );
}
