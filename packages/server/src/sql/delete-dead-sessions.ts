import type { Queryable } from '@baton/store';

/**
 * Deletes the sessions that can never be used again — ended (a logout) or expired at `now` — and
 * answers how many. Either way every server refuses them already: nothing reads them after.
 */
export async function deleteDeadSessions(db: Queryable, now: number): Promise<number> {
  const rows = await db.query<{ n: number }>(
    `WITH gone AS (
       DELETE FROM sessions
        WHERE ended_at IS NOT NULL OR expires_at <= to_timestamp($1::float8 / 1000)
       RETURNING 1
     )
     SELECT count(*)::int AS n FROM gone`,
    [now],
  );
  return rows[0]?.n ?? 0;
}
