import type { Queryable } from '../db.js';

/** The ids of every tenant, in order (the blob sweep goes through them one by one). */
export async function selectTenantIds(db: Queryable): Promise<string[]> {
  const rows = await db.query<{ id: string }>(`SELECT id FROM tenants ORDER BY id`);
  return rows.map((row) => row.id);
}
