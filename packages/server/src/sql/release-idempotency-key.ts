import type { Queryable } from '@baton/store';

/** Forgets a key still in flight (its request failed in a way a retry may repair). */
export async function releaseIdempotencyKey(
  db: Queryable,
  tenantId: string,
  scope: string,
  key: string,
): Promise<void> {
  await db.query(
    `DELETE FROM idempotency_keys
      WHERE tenant_id = $1::text AND scope = $2::text AND key = $3::text AND response_status IS NULL`,
    [tenantId, scope, key],
  );
}
