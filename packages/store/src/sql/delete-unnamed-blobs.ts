import type { Queryable } from '../db.js';

/** A file content's row the sweep deleted: its size, and its blob's key when it was in the blob store. */
export interface DeletedBlob {
  readonly size: number;
  readonly blobKey: string | null;
}

/**
 * Deletes `tenantId`'s file contents of the hashes `sha256s` — those no manifest named when the
 * sweep read them — unless a write relied on one since: only rows still last relied on before
 * `before` (epoch ms) go.
 *
 * Locking: the rows are locked in hash order (`ORDER BY … FOR UPDATE`), as a step write takes the
 * rows it stores (`write-step.ts`) and a fork the rows it copies (`touch-blobs.ts`): no cycle of
 * waits. A row a concurrent write has updated (its `created_at` set) is waited for; once that
 * write commits, READ COMMITTED re-checks the WHERE on the row's new version, which is no longer
 * old: the row stays. A row a concurrent sweep deleted is skipped. Returns what it deleted.
 */
export async function deleteUnnamedBlobs(
  db: Queryable,
  tenantId: string,
  sha256s: readonly string[],
  before: number,
): Promise<DeletedBlob[]> {
  if (sha256s.length === 0) return [];
  return db.query<DeletedBlob>(
    `WITH doomed AS (
       SELECT sha256 FROM blobs
        WHERE tenant_id = $1::text AND sha256 = ANY($2::text[])
          AND created_at < to_timestamp($3::float8 / 1000.0)
        ORDER BY sha256
          FOR UPDATE
     )
     DELETE FROM blobs USING doomed
      WHERE blobs.tenant_id = $1::text AND blobs.sha256 = doomed.sha256
     RETURNING blobs.size, blobs.blob_key AS "blobKey"`,
    [tenantId, sha256s, before],
  );
}
