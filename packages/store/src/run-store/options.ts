import type { StoreBlobsOptions } from '../blobs/content-placement.js';
import type { StoreError } from '../store-error.js';

/**
 * Hooks into the store's transactions, for tests only: fault injection (kill the process between
 * the writes and the COMMIT) and barriers (hold two transactions just before COMMIT).
 */
export interface StoreHooks {
  /** Called inside every writing transaction that will commit, after its writes, before COMMIT. */
  readonly beforeCommit?: () => void | Promise<void>;
}

/**
 * A one-statement write that failed with a storage error — the database refused the statement,
 * or the connection was lost before its answer came (it may have committed) — whose inputs go
 * through the locked path instead (`run-store/apply-queue.ts`).
 */
export interface StoreFallback {
  /** The run whose write fell back. */
  readonly runId: string;
  /** The `STORAGE_ERROR` the statement failed with; its message says why. */
  readonly error: StoreError;
}

/** Options of `createSqlRunStore`. */
export interface SqlRunStoreOptions {
  readonly hooks?: StoreHooks;
  /**
   * Called for every fallback from the one-statement path to the locked path (the store's tests
   * count them). Rare in normal operation: it happens only when a statement fails or its answer
   * is lost.
   */
  readonly onFallback?: (fallback: StoreFallback) => void;
  /**
   * Where the store reports what an operator should know (each fallback), one line at a time
   * without the newline. Default: a line on stderr.
   */
  readonly log?: (line: string) => void;
  /**
   * Where contents above a threshold go (artifacts' contents and files of file trees; default
   * threshold 256 KiB): a blob store, the database keeping their hash, size and key. Without it
   * every content stays in the database. A store reading a content another process put in a blob
   * store needs the same blob store (else `BLOB_MISSING`).
   */
  readonly blobs?: StoreBlobsOptions;
}
