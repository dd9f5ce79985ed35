import type { Queryable } from '@baton/store';

/** True when the tenant has an owner (then setup is done). */
export async function selectHasOwner(db: Queryable, tenantId: string): Promise<boolean> {
  const rows = await db.query<{ one: number }>(
    `SELECT 1 AS one FROM memberships WHERE tenant_id = $1::text AND role = 'owner' LIMIT 1`,
    [tenantId],
  );
  return rows.length > 0;
}
