import type { RunState } from '@baton/engine';
import type { Queryable } from '../db.js';

/**
 * Inserts a new run's row from its first state, in `tenantId`. Returns false when it inserted
 * nothing: the id is taken (by a run of any tenant), or there is no such tenant
 * (`tenant-exists.ts` tells which).
 */
export async function insertRun(db: Queryable, state: RunState, tenantId: string): Promise<boolean> {
  const rows = await db.query<{ id: string }>(
    `INSERT INTO runs (id, tenant_id, workflow_id, workflow_version, status, last_seq, created_at,
                       updated_at, created_by, title, title_set_by_person, stage)
     SELECT $1, t.id, $3, $4, $5, $6, to_timestamp($7 / 1000.0), to_timestamp($8 / 1000.0), $9, $10, $11, $12
       FROM tenants t
      WHERE t.id = $2
     ON CONFLICT (id) DO NOTHING
     RETURNING id`,
    [
      state.runId,
      tenantId,
      state.workflow.id,
      state.workflow.version,
      state.status,
      state.seq,
      state.createdAt,
      state.updatedAt,
      state.createdBy,
      state.title ?? null,
      state.titleSetByPerson === true,
      state.stage ?? null,
    ],
  );
  return rows.length === 1;
}
