import type { RunState } from '@baton/engine';
import type { Queryable } from '../db.js';

/** Inserts a new run's row from its first state. Returns false when the id is taken. */
export async function insertRun(db: Queryable, state: RunState): Promise<boolean> {
  const rows = await db.query<{ id: string }>(
    `INSERT INTO runs (id, workflow_id, workflow_version, status, last_seq, created_at, updated_at, created_by)
     VALUES ($1, $2, $3, $4, $5, to_timestamp($6 / 1000.0), to_timestamp($7 / 1000.0), $8)
     ON CONFLICT (id) DO NOTHING
     RETURNING id`,
    [
      state.runId,
      state.workflow.id,
      state.workflow.version,
      state.status,
      state.seq,
      state.createdAt,
      state.updatedAt,
      state.createdBy,
    ],
  );
  return rows.length === 1;
}
