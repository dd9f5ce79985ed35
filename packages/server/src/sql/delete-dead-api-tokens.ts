import type { Queryable } from '@baton/store';

/**
 * Deletes the API tokens that are no longer listed: revoked ones, and ones that expired at or
 * before `expiredBefore` (an expired token stays listed for a while, see `selectApiTokens`).
 * Answers how many.
 */
export async function deleteDeadApiTokens(db: Queryable, expiredBefore: number): Promise<number> {
  const rows = await db.query<{ n: number }>(
    `WITH gone AS (
       DELETE FROM api_tokens
        WHERE revoked_at IS NOT NULL OR expires_at <= to_timestamp($1::float8 / 1000)
       RETURNING 1
     )
     SELECT count(*)::int AS n FROM gone`,
    [expiredBefore],
  );
  return rows[0]?.n ?? 0;
}
