import type { Queryable } from '../db.js';

/**
 * A stored file content (UTF-8 text) by its hash — `tenantId`'s copy, or when undefined any
 * tenant's (the same hash is the same content) — or undefined. Both look-ups use the primary key
 * `(sha256, tenant_id)`.
 */
export async function selectBlob(
  db: Queryable,
  sha256: string,
  tenantId: string | undefined,
): Promise<string | undefined> {
  const rows = await db.query<{ content: Uint8Array }>(
    `SELECT content FROM blobs WHERE sha256 = $1 AND ($2::text IS NULL OR tenant_id = $2::text) LIMIT 1`,
    [sha256, tenantId ?? null],
  );
  const row = rows[0];
  if (row === undefined) return undefined;
  return Buffer.from(row.content.buffer, row.content.byteOffset, row.content.byteLength).toString('utf8');
}
