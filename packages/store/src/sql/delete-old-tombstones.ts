import type { Queryable } from '../db.js';

/**
 * Deletes the tombstones of runs deleted before `before` (epoch ms), using
 * `run_tombstones_deleted_idx`; returns how many. A plain DELETE of rows nobody updates: safe with
 * several servers sweeping at once.
 */
export async function deleteOldTombstones(db: Queryable, before: number): Promise<number> {
  const rows = await db.query<{ n: number }>(
    `WITH swept AS (DELETE FROM run_tombstones WHERE deleted_at < to_timestamp($1 / 1000.0) RETURNING 1)
     SELECT count(*)::integer AS n FROM swept`,
    [before],
  );
  return rows[0]?.n ?? 0;
}
