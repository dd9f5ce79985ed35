import type { Queryable } from '@baton/store';

/** A live API token and who it acts for. */
export interface ApiTokenRow {
  readonly tokenId: string;
  readonly tenantId: string;
  /** Null for a token made over the home's socket without an account. */
  readonly userId: string | null;
  /** The user's email, or who made a user-less token. */
  readonly actor: string;
  readonly role: 'owner' | 'member';
  readonly lastUsedAt: number | null;
}

/**
 * The token with this hash, when it is live at `now`: not revoked, not expired, and — for a user's
 * token — its user enabled and still a member of the tenant (with the membership's current role).
 * A user-less token acts as the tenant's owner.
 */
export async function selectApiToken(
  db: Queryable,
  tokenHash: string,
  now: number,
): Promise<ApiTokenRow | undefined> {
  const rows = await db.query<ApiTokenRow>(
    `SELECT t.id AS "tokenId", t.tenant_id AS "tenantId", t.user_id AS "userId",
            coalesce(u.email, t.created_by) AS actor, coalesce(m.role, 'owner') AS role,
            round(extract(epoch FROM t.last_used_at) * 1000)::float8 AS "lastUsedAt"
       FROM api_tokens t
       LEFT JOIN memberships m ON m.tenant_id = t.tenant_id AND m.user_id = t.user_id
       LEFT JOIN users u ON u.id = t.user_id
      WHERE t.token_hash = $1::text
        AND t.revoked_at IS NULL
        AND (t.expires_at IS NULL OR t.expires_at > to_timestamp($2::float8 / 1000))
        AND (t.user_id IS NULL OR (m.user_id IS NOT NULL AND u.disabled_at IS NULL))`,
    [tokenHash, now],
  );
  return rows[0];
}
