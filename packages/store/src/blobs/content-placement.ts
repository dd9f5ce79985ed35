/**
 * Where the store puts a content — an artifact's, or a file of a file tree — and how it reads it
 * back: in its row (`content`), or, above the threshold and when the store has a blob store, in
 * the blob store under `<tenant>/<sha256>` with the row naming it (`blob_key`, migration 0011).
 * Readers never see the difference: {@link ContentPlacement.read} returns the same text either way.
 *
 * A content goes to the blob store before the row that names it is written (`step-write.ts`), so a
 * committed row's content is always there. A write that fails or is not committed after its put
 * leaves a file no row names: harmless (the same content is the same file if it comes again), and
 * removed by the blob sweep once it was not put again for the sweep's grace period
 * (`blob-sweep.ts`). Every placement puts, also a content the blob store has: that put is what
 * tells the sweep a write is about to name it.
 */
import { createHash } from 'node:crypto';
import { blobKey, type BlobStore } from '@baton/engine';
import { StoreError, StoreErrorCode } from '../store-error.js';

/** Contents above this many bytes (UTF-8) go to the blob store by default: 256 KiB. */
export const DEFAULT_BLOB_THRESHOLD = 256 * 1024;

/** The blob store of a SQL run store (`SqlRunStoreOptions.blobs`). */
export interface StoreBlobsOptions {
  readonly store: BlobStore;
  /** Contents of more than this many bytes go to `store` (default {@link DEFAULT_BLOB_THRESHOLD}). */
  readonly threshold?: number;
}

/** A content as its row holds it: the bytes (base64, for a JSON parameter), or the blob's key. */
export type PlacedContent =
  { readonly content: string; readonly blobKey: null } | { readonly content: null; readonly blobKey: string };

/** A content as a row returns it: the bytes (`Buffer` from `pg`, `Uint8Array` from PGlite), or a key. */
export interface ContentRow {
  readonly content: Uint8Array | null;
  readonly blobKey: string | null;
}

/** Puts contents in their rows or in the blob store, and reads them back (see above). */
export class ContentPlacement {
  private readonly store: BlobStore | undefined;
  private readonly threshold: number;

  constructor(options: StoreBlobsOptions | undefined) {
    this.store = options?.store;
    this.threshold = options?.threshold ?? DEFAULT_BLOB_THRESHOLD;
  }

  /**
   * Where `text` of `tenantId` goes. Above the threshold it is put in the blob store first, under
   * the hash of its bytes (computed here, not taken from the caller: the key always names what
   * the file holds). Fails with the blob store's error; nothing is then written to the database.
   */
  async place(tenantId: string, text: string): Promise<PlacedContent> {
    const bytes = Buffer.from(text, 'utf8');
    if (this.store === undefined || bytes.byteLength <= this.threshold) {
      return { content: bytes.toString('base64'), blobKey: null };
    }
    const key = blobKey(tenantId, createHash('sha256').update(bytes).digest('hex'));
    await this.store.put(key, bytes);
    return { content: null, blobKey: key };
  }

  /**
   * The text of a row's content. Fails with `BLOB_MISSING` when the row names a blob this store
   * cannot read: it has no blob store (a process not configured with the directory the writer
   * used), or the blob is not there (the directory is not the writer's, or was emptied).
   */
  async read(row: ContentRow, what: string): Promise<string> {
    if (row.blobKey === null) {
      const bytes = row.content ?? new Uint8Array();
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
    }
    if (this.store === undefined) {
      throw new StoreError(
        StoreErrorCode.blobMissing,
        `${what} is in the blob store (${row.blobKey}), and this process has none: give it the blob ` +
          `directory the other processes on this database use (BATON_BLOBS_DIR)`,
        { context: { blobKey: row.blobKey } },
      );
    }
    const bytes = await this.store.get(row.blobKey);
    if (bytes === undefined) {
      throw new StoreError(
        StoreErrorCode.blobMissing,
        `${what} is missing from the blob store (${row.blobKey}): every process on this database ` +
          `must share one blob directory (BATON_BLOBS_DIR), and its files must not be removed`,
        { context: { blobKey: row.blobKey } },
      );
    }
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  }
}
