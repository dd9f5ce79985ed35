import type { Queryable } from '@baton/store';

/** A key's record: the request that claimed it, and its response once there is one. */
export interface IdempotencyRecord {
  readonly requestHash: string;
  /** Null while the first request is in flight. */
  readonly status: number | null;
  readonly contentType: string | null;
  readonly body: string | null;
}

/** The record of the key, or undefined when there is none. */
export async function selectIdempotencyKey(
  db: Queryable,
  tenantId: string,
  scope: string,
  key: string,
): Promise<IdempotencyRecord | undefined> {
  const rows = await db.query<IdempotencyRecord>(
    `SELECT request_hash AS "requestHash", response_status AS status,
            response_type AS "contentType", response_body AS body
       FROM idempotency_keys
      WHERE tenant_id = $1::text AND scope = $2::text AND key = $3::text`,
    [tenantId, scope, key],
  );
  return rows[0];
}
