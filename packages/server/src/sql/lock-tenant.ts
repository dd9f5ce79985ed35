import type { Queryable } from '@baton/store';

/**
 * Locks the tenant's row until the transaction ends and returns its name (undefined when there is
 * no such tenant). Setup takes this lock before it checks that the tenant has no owner and creates
 * one: two setups at once (two servers, one database) run one after the other, and the second sees
 * the first's owner and stops — READ COMMITTED re-reads after the lock is granted.
 */
export async function lockTenant(db: Queryable, tenantId: string): Promise<{ name: string } | undefined> {
  const rows = await db.query<{ name: string }>(`SELECT name FROM tenants WHERE id = $1::text FOR UPDATE`, [
    tenantId,
  ]);
  return rows[0];
}
