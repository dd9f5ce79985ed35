import type { FileBlob } from '@baton/engine';
import type { Queryable } from '../db.js';

/** Stores file contents by hash; a content already stored is kept (it is the same bytes). */
export async function insertBlobs(db: Queryable, blobs: readonly FileBlob[], now: number): Promise<void> {
  for (const blob of blobs) {
    await db.query(
      `INSERT INTO blobs (sha256, size, content, created_at)
       VALUES ($1, $2, $3, to_timestamp($4 / 1000.0))
       ON CONFLICT (sha256) DO NOTHING`,
      [blob.sha256, blob.size, Buffer.from(blob.text, 'utf8'), now],
    );
  }
}
