import type { Queryable } from '../db.js';

/**
 * A page of the hashes of `tenantId`'s file contents (`blobs`) last relied on before `before`
 * (epoch ms) — at most `limit`, after the hash `after`, in hash order — the candidates of the blob
 * sweep. Walks the primary key `(sha256, tenant_id)` from `after`.
 */
export async function selectOldBlobs(
  db: Queryable,
  tenantId: string,
  before: number,
  after: string,
  limit: number,
): Promise<string[]> {
  const rows = await db.query<{ sha256: string }>(
    `SELECT sha256 FROM blobs
      WHERE tenant_id = $1::text AND created_at < to_timestamp($2::float8 / 1000.0) AND sha256 > $3::text
      ORDER BY sha256
      LIMIT $4::integer`,
    [tenantId, before, after, limit],
  );
  return rows.map((row) => row.sha256);
}
