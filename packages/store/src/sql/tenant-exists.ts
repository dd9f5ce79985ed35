import type { Queryable } from '../db.js';

/** Whether the tenant exists. */
export async function tenantExists(db: Queryable, tenantId: string): Promise<boolean> {
  const rows = await db.query<{ id: string }>(`SELECT id FROM tenants WHERE id = $1`, [tenantId]);
  return rows.length === 1;
}
