import type { Queryable } from '../db.js';

/**
 * The oldest transaction still running, as decimal text (`pg_snapshot_xmin` of this statement's
 * snapshot): every change marker below it has committed or never will (`run-changes.ts`).
 */
export async function selectChangeHorizon(db: Queryable): Promise<string> {
  const rows = await db.query<{ xmin: string }>(
    `SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin`,
  );
  return rows[0]!.xmin;
}
