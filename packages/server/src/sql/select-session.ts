import type { Queryable } from '@baton/store';

/** A live session and who it is. */
export interface SessionRow {
  readonly sessionId: string;
  readonly tenantId: string;
  readonly userId: string;
  readonly email: string;
  readonly role: 'owner' | 'member';
  readonly lastSeenAt: number;
}

/**
 * The session whose token has this hash, when it is live at `now`: not ended, not expired, its
 * user enabled and still a member of its tenant (the role is the membership's current one).
 */
export async function selectSession(
  db: Queryable,
  tokenHash: string,
  now: number,
): Promise<SessionRow | undefined> {
  const rows = await db.query<SessionRow>(
    `SELECT s.id AS "sessionId", s.tenant_id AS "tenantId", s.user_id AS "userId", u.email, m.role,
            round(extract(epoch FROM s.last_seen_at) * 1000)::float8 AS "lastSeenAt"
       FROM sessions s
       JOIN memberships m ON m.tenant_id = s.tenant_id AND m.user_id = s.user_id
       JOIN users u ON u.id = s.user_id
      WHERE s.token_hash = $1::text
        AND s.ended_at IS NULL
        AND s.expires_at > to_timestamp($2::float8 / 1000)
        AND u.disabled_at IS NULL`,
    [tokenHash, now],
  );
  return rows[0];
}
