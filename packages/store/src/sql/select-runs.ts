import type { RunSummary } from '@baton/engine';
import type { Queryable } from '../db.js';

/** Runs, newest first (all of them when `limit` is undefined). */
export async function selectRuns(db: Queryable, limit: number | undefined): Promise<RunSummary[]> {
  return db.query<RunSummary>(
    `SELECT id, workflow_id AS "workflowId", status,
            round(extract(epoch FROM created_at) * 1000)::float8 AS "createdAt",
            round(extract(epoch FROM updated_at) * 1000)::float8 AS "updatedAt"
       FROM runs
      ORDER BY created_at DESC, id DESC
      LIMIT $1::integer`,
    [limit ?? null],
  );
}
