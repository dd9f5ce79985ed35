import type { Queryable } from '@baton/store';

/** True when `tokenHash` is one of the tenant's setup tokens. */
export async function selectSetupToken(db: Queryable, tenantId: string, tokenHash: string): Promise<boolean> {
  const rows = await db.query<{ one: number }>(
    `SELECT 1 AS one FROM setup_tokens WHERE tenant_id = $1::text AND token_hash = $2::text`,
    [tenantId, tokenHash],
  );
  return rows.length > 0;
}
