import type { Queryable } from '@baton/store';

/** Deletes every setup token of the tenant (its owner exists now). */
export async function deleteSetupTokens(db: Queryable, tenantId: string): Promise<void> {
  await db.query(`DELETE FROM setup_tokens WHERE tenant_id = $1::text`, [tenantId]);
}
