import type { Tenant } from '@baton/engine';
import type { Queryable } from '../db.js';

/** Adds a tenant unless one with its id exists (whose name is then left as it is). */
export async function insertTenant(db: Queryable, tenant: Tenant, now: number): Promise<void> {
  await db.query(
    `INSERT INTO tenants (id, name, created_at) VALUES ($1, $2, to_timestamp($3 / 1000.0))
     ON CONFLICT (id) DO NOTHING`,
    [tenant.id, tenant.name, now],
  );
}
