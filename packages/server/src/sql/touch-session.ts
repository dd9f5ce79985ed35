import type { Queryable } from '@baton/store';

/** Records that the session was used at `now`. */
export async function touchSession(
  db: Queryable,
  tenantId: string,
  sessionId: string,
  now: number,
): Promise<void> {
  await db.query(
    `UPDATE sessions SET last_seen_at = to_timestamp($3::float8 / 1000)
      WHERE tenant_id = $1::text AND id = $2::text`,
    [tenantId, sessionId, now],
  );
}
