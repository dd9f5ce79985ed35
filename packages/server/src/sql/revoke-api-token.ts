import type { Queryable } from '@baton/store';

/**
 * Revokes the tenant's token `tokenId` at `now` — only when it is `userId`'s, when given (null:
 * any of the tenant's). False when there is no such token left to revoke (missing, another
 * tenant's or user's, or revoked already).
 */
export async function revokeApiToken(
  db: Queryable,
  tenantId: string,
  tokenId: string,
  userId: string | null,
  now: number,
): Promise<boolean> {
  const rows = await db.query<{ id: string }>(
    `UPDATE api_tokens SET revoked_at = to_timestamp($4::float8 / 1000)
      WHERE tenant_id = $1::text AND id = $2::text AND revoked_at IS NULL
        AND ($3::text IS NULL OR user_id = $3::text)
      RETURNING id`,
    [tenantId, tokenId, userId, now],
  );
  return rows.length === 1;
}
