import type { Queryable } from '@baton/store';

/** Makes the user a member of the tenant with `role`. */
export async function insertMembership(
  db: Queryable,
  tenantId: string,
  userId: string,
  role: 'owner' | 'member',
  now: number,
): Promise<void> {
  await db.query(
    `INSERT INTO memberships (tenant_id, user_id, role, created_at)
     VALUES ($1::text, $2::text, $3::text, to_timestamp($4::float8 / 1000))`,
    [tenantId, userId, role, now],
  );
}
