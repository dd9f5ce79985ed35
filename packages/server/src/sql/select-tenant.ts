import type { Queryable } from '@baton/store';

/** The tenant's name, or undefined when there is no such tenant. */
export async function selectTenant(db: Queryable, tenantId: string): Promise<{ name: string } | undefined> {
  const rows = await db.query<{ name: string }>(`SELECT name FROM tenants WHERE id = $1::text`, [tenantId]);
  return rows[0];
}
