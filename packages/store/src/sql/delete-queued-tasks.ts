import type { Queryable } from '../db.js';

/** Removes the phase's queued (not yet claimed) tasks. Claimed tasks stay: their results still arrive. */
export async function deleteQueuedTasks(db: Queryable, runId: string, phaseId: string): Promise<void> {
  await db.query(`DELETE FROM tasks WHERE run_id = $1 AND phase_id = $2 AND status = 'queued'`, [
    runId,
    phaseId,
  ]);
}
