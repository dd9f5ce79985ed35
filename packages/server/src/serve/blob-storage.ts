/**
 * Which blob store a process's run store uses for large contents (docs/engine.md, "Where contents
 * live"): `baton serve` and every `baton` command decide it here, so that every process on one
 * database agrees.
 *
 * - On the embedded home: `$BATON_HOME/blobs` (or the directory given). One process at a time
 *   holds the home; a command reading a copy of a held home's database reads the same files
 *   (they are written whole and never change).
 * - On PostgreSQL: the directory given (`--blobs-dir` / `BATON_BLOBS_DIR`), which every server
 *   and worker on that database must share (a network filesystem); without one, every content
 *   stays in the database. A default per-machine directory would be wrong there: a content one
 *   server put in its own directory could not be read by another (`BLOB_MISSING`). The database
 *   is shared by construction, so keeping contents in it is the default that is always right.
 */
import path from 'node:path';
import { BatonError, ErrorCode } from '@baton/engine';
import { createFilesystemBlobStore, type StoreBlobsOptions } from '@baton/store';

/** What decides a process's blob store. */
export interface BlobStorageOptions {
  /** `$BATON_HOME`. */
  readonly home: string;
  /** Whether the database is the home's embedded one (not PostgreSQL). */
  readonly embedded: boolean;
  /** `--blobs-dir` / `BATON_BLOBS_DIR`: the blob directory, instead of the home's. */
  readonly blobsDir?: string;
  /** `--blob-threshold` / `BATON_BLOB_THRESHOLD`: contents above this many bytes go there. */
  readonly threshold?: number;
}

/** The blob store of a run store (see above), or undefined: every content in the database. */
export function blobStorage(options: BlobStorageOptions): StoreBlobsOptions | undefined {
  const dir =
    options.blobsDir !== undefined && options.blobsDir !== ''
      ? path.resolve(options.blobsDir)
      : options.embedded
        ? path.join(options.home, 'blobs')
        : undefined;
  if (dir === undefined) return undefined;
  return {
    store: createFilesystemBlobStore({ dir }),
    ...(options.threshold === undefined ? {} : { threshold: options.threshold }),
  };
}

/**
 * A threshold in bytes: a whole number, optionally with `k` or `m` (KiB, MiB) — `262144`, `256k`,
 * `1m`. Fails with BAD_REQUEST naming `source` (the flag or variable) otherwise.
 */
export function parseBlobThreshold(text: string, source: string): number {
  const match = /^\s*(\d+)\s*([km]?)i?b?\s*$/i.exec(text);
  const unit = match?.[2]?.toLowerCase();
  const bytes =
    match === null ? NaN : Number(match[1]) * (unit === 'm' ? 1024 * 1024 : unit === 'k' ? 1024 : 1);
  if (!Number.isSafeInteger(bytes)) {
    throw new BatonError(
      ErrorCode.badRequest,
      `${source} ${text}: give a number of bytes, e.g. 262144, 256k or 1m (contents above it go to the blob store)`,
    );
  }
  return bytes;
}
