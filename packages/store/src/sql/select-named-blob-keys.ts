import type { Queryable } from '../db.js';

/**
 * Which of `keys` (blob-store keys) a row names — an artifact's or a file content's `blob_key` —
 * through `artifacts_blob_key_idx` and `blobs_blob_key_idx` (migration 0015). Every tenant's rows
 * count: a key names its tenant, and only that tenant's rows hold it.
 */
export async function selectNamedBlobKeys(db: Queryable, keys: readonly string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await db.query<{ key: string }>(
    `SELECT k.key FROM unnest($1::text[]) AS k(key)
      WHERE EXISTS (SELECT 1 FROM artifacts a WHERE a.blob_key = k.key)
         OR EXISTS (SELECT 1 FROM blobs b WHERE b.blob_key = k.key)`,
    [keys],
  );
  return new Set(rows.map((row) => row.key));
}
