import type { Queryable } from '@baton/store';

/** Ends the session at `now` (from then on every server refuses it). False when it had ended already. */
export async function endSession(
  db: Queryable,
  tenantId: string,
  sessionId: string,
  now: number,
): Promise<boolean> {
  const rows = await db.query<{ id: string }>(
    `UPDATE sessions SET ended_at = to_timestamp($3::float8 / 1000)
      WHERE tenant_id = $1::text AND id = $2::text AND ended_at IS NULL
      RETURNING id`,
    [tenantId, sessionId, now],
  );
  return rows.length === 1;
}
