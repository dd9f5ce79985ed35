import type { Queryable } from '@baton/store';

/** Records a setup token's hash for the tenant (a hash recorded already stays as it is). */
export async function insertSetupToken(
  db: Queryable,
  tenantId: string,
  tokenHash: string,
  now: number,
): Promise<void> {
  await db.query(
    `INSERT INTO setup_tokens (token_hash, tenant_id, created_at)
     VALUES ($1::text, $2::text, to_timestamp($3::float8 / 1000))
     ON CONFLICT (token_hash) DO NOTHING`,
    [tokenHash, tenantId, now],
  );
}
