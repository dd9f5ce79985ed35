import type { Queryable } from '@baton/store';

/** The response to keep for a key. */
export interface IdempotentResponse {
  readonly status: number;
  readonly contentType: string | null;
  readonly body: string;
}

/** Stores the response of the request that claimed the key (while it is still in flight). */
export async function completeIdempotencyKey(
  db: Queryable,
  tenantId: string,
  scope: string,
  key: string,
  response: IdempotentResponse,
  now: number,
): Promise<void> {
  await db.query(
    `UPDATE idempotency_keys
        SET response_status = $4::integer, response_type = $5::text, response_body = $6::text,
            completed_at = to_timestamp($7::float8 / 1000)
      WHERE tenant_id = $1::text AND scope = $2::text AND key = $3::text AND response_status IS NULL`,
    [tenantId, scope, key, response.status, response.contentType, response.body, now],
  );
}
