import type { Queryable } from '@baton/store';

/**
 * Deletes every tenant's key records created at or before `expiredBefore` (their 24 hours are
 * over: a claim would take them over anyway) and answers how many. A plain DELETE: several servers
 * sweeping at once each delete what the others have not.
 */
export async function deleteExpiredIdempotencyKeys(db: Queryable, expiredBefore: number): Promise<number> {
  const rows = await db.query<{ n: number }>(
    `WITH gone AS (
       DELETE FROM idempotency_keys WHERE created_at <= to_timestamp($1::float8 / 1000) RETURNING 1
     )
     SELECT count(*)::int AS n FROM gone`,
    [expiredBefore],
  );
  return rows[0]?.n ?? 0;
}
