import type { Queryable } from '@baton/store';

/** Deletes the tenant's key records created at or before `expiredBefore`. */
export async function deleteExpiredIdempotencyKeys(
  db: Queryable,
  tenantId: string,
  expiredBefore: number,
): Promise<void> {
  await db.query(
    `DELETE FROM idempotency_keys WHERE tenant_id = $1::text AND created_at <= to_timestamp($2::float8 / 1000)`,
    [tenantId, expiredBefore],
  );
}
