import type { Queryable } from '@baton/store';

/** An API token as lists show it: never the token nor its hash. */
export interface ApiTokenSummary {
  readonly id: string;
  readonly name: string;
  readonly prefix: string;
  readonly createdBy: string;
  readonly createdAt: number;
  readonly expiresAt: number | null;
  readonly lastUsedAt: number | null;
}

/**
 * The tenant's tokens that are not revoked, newest first — only `userId`'s when given, every one of
 * the tenant when null. A token that expired is listed (its `expiresAt` says so) until
 * `expiredBefore`: after that the server's sweep deletes it, and the list does not wait for it.
 */
export async function selectApiTokens(
  db: Queryable,
  tenantId: string,
  userId: string | null,
  expiredBefore: number,
): Promise<ApiTokenSummary[]> {
  return db.query<ApiTokenSummary>(
    `SELECT id, name, prefix, created_by AS "createdBy",
            round(extract(epoch FROM created_at) * 1000)::float8 AS "createdAt",
            round(extract(epoch FROM expires_at) * 1000)::float8 AS "expiresAt",
            round(extract(epoch FROM last_used_at) * 1000)::float8 AS "lastUsedAt"
       FROM api_tokens
      WHERE tenant_id = $1::text
        AND revoked_at IS NULL
        AND ($2::text IS NULL OR user_id = $2::text)
        AND (expires_at IS NULL OR expires_at > to_timestamp($3::float8 / 1000))
      ORDER BY created_at DESC, id DESC`,
    [tenantId, userId, expiredBefore],
  );
}
