import type { Queryable } from '@baton/store';

/** Records that the token was used at `now`. */
export async function touchApiToken(
  db: Queryable,
  tenantId: string,
  tokenId: string,
  now: number,
): Promise<void> {
  await db.query(
    `UPDATE api_tokens SET last_used_at = to_timestamp($3::float8 / 1000)
      WHERE tenant_id = $1::text AND id = $2::text`,
    [tenantId, tokenId, now],
  );
}
