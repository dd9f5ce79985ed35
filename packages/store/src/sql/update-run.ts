import type { RunState } from '@baton/engine';
import type { Queryable } from '../db.js';

/**
 * Moves the run's row from `previousSeq` to the new state. Returns false when the row was not at
 * `previousSeq` — impossible while the caller holds the run's lock, so the caller treats it as a bug.
 */
export async function updateRun(db: Queryable, state: RunState, previousSeq: number): Promise<boolean> {
  const rows = await db.query<{ id: string }>(
    `UPDATE runs
        SET status = $2, last_seq = $3, updated_at = to_timestamp($4 / 1000.0)
      WHERE id = $1 AND last_seq = $5
      RETURNING id`,
    [state.runId, state.status, state.seq, state.updatedAt, previousSeq],
  );
  return rows.length === 1;
}
