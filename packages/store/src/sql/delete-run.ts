import type { Queryable } from '../db.js';

/**
 * Deletes a run's row; its events, phases, tasks and artifacts go with it (`ON DELETE CASCADE`).
 * Model calls and file contents have no reference to the run and stay. The caller holds the run's
 * lock (`lock-run.ts`).
 */
export async function deleteRun(db: Queryable, runId: string): Promise<void> {
  await db.query(`DELETE FROM runs WHERE id = $1`, [runId]);
}
