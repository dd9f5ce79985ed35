import type { Queryable } from '@baton/store';

/** The request that claims a key. */
export interface IdempotencyClaim {
  readonly tenantId: string;
  readonly scope: string;
  readonly key: string;
  readonly method: string;
  readonly path: string;
  readonly requestHash: string;
  readonly now: number;
  /** A record created at or before this time has expired: the claim takes it over. */
  readonly expiredBefore: number;
  /** A record still in flight created at or before this time was abandoned (its server died). */
  readonly abandonedBefore: number;
}

/**
 * Claims a key for a request: true when this request is the first (or the key's record had expired
 * or was abandoned in flight, and is now this request's). `INSERT … ON CONFLICT DO UPDATE … WHERE`
 * decides atomically: of two requests with one key at once, the second waits for the first's row
 * lock, then finds the row not expired and gets no row back (false).
 */
export async function claimIdempotencyKey(db: Queryable, claim: IdempotencyClaim): Promise<boolean> {
  const rows = await db.query<{ key: string }>(
    `INSERT INTO idempotency_keys AS k (tenant_id, scope, key, method, path, request_hash, created_at)
     VALUES ($1::text, $2::text, $3::text, $4::text, $5::text, $6::text, to_timestamp($7::float8 / 1000))
     ON CONFLICT (tenant_id, scope, key) DO UPDATE
        SET method = EXCLUDED.method, path = EXCLUDED.path, request_hash = EXCLUDED.request_hash,
            created_at = EXCLUDED.created_at, response_status = NULL, response_type = NULL,
            response_body = NULL, completed_at = NULL
      WHERE k.created_at <= to_timestamp($8::float8 / 1000)
         OR (k.response_status IS NULL AND k.created_at <= to_timestamp($9::float8 / 1000))
     RETURNING k.key`,
    [
      claim.tenantId,
      claim.scope,
      claim.key,
      claim.method,
      claim.path,
      claim.requestHash,
      claim.now,
      claim.expiredBefore,
      claim.abandonedBefore,
    ],
  );
  return rows.length === 1;
}
