import type { ContentRow } from '../blobs/content-placement.js';
import type { Queryable } from '../db.js';

/**
 * A stored file content's row by its hash — `tenantId`'s copy, or when undefined any tenant's (the
 * same hash is the same content) — or undefined. The row holds the content, or the key of its blob
 * (which names the row's own tenant). Both look-ups use the primary key `(sha256, tenant_id)`.
 */
export async function selectBlob(
  db: Queryable,
  sha256: string,
  tenantId: string | undefined,
): Promise<ContentRow | undefined> {
  const rows = await db.query<ContentRow>(
    `SELECT content, blob_key AS "blobKey"
       FROM blobs WHERE sha256 = $1 AND ($2::text IS NULL OR tenant_id = $2::text) LIMIT 1`,
    [sha256, tenantId ?? null],
  );
  return rows[0];
}
