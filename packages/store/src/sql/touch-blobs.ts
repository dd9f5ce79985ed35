import type { Queryable } from '../db.js';

/**
 * Marks `tenantId`'s file contents of the hashes `sha256s` as relied on at `now` (epoch ms) — a
 * fork's copied trees name them without storing them — and returns the hashes it found: a hash
 * missing from the answer has no row (the blob sweep deleted it).
 *
 * Locking: the rows are locked in hash order (`ORDER BY … FOR UPDATE`), as the sweep's DELETE
 * (`delete-unnamed-blobs.ts`) and step writes take them, and held until the caller's transaction
 * ends. A sweep that wants one of them waits, then finds its time new and keeps it; a row a sweep
 * deleted first is waited for and then missing from the answer.
 */
export async function touchBlobs(
  db: Queryable,
  tenantId: string,
  sha256s: readonly string[],
  now: number,
): Promise<Set<string>> {
  if (sha256s.length === 0) return new Set();
  const rows = await db.query<{ sha256: string }>(
    `WITH held AS (
       SELECT sha256 FROM blobs
        WHERE tenant_id = $1::text AND sha256 = ANY($2::text[])
        ORDER BY sha256
          FOR UPDATE
     )
     UPDATE blobs SET created_at = greatest(blobs.created_at, to_timestamp($3::float8 / 1000.0))
       FROM held
      WHERE blobs.tenant_id = $1::text AND blobs.sha256 = held.sha256
     RETURNING blobs.sha256`,
    [tenantId, sha256s, now],
  );
  return new Set(rows.map((row) => row.sha256));
}
