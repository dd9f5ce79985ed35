import type { Queryable } from '../db.js';

/** A stored file content (UTF-8 text) by its hash, or undefined. */
export async function selectBlob(db: Queryable, sha256: string): Promise<string | undefined> {
  const rows = await db.query<{ content: Uint8Array }>(`SELECT content FROM blobs WHERE sha256 = $1`, [
    sha256,
  ]);
  const row = rows[0];
  if (row === undefined) return undefined;
  return Buffer.from(row.content.buffer, row.content.byteOffset, row.content.byteLength).toString('utf8');
}
