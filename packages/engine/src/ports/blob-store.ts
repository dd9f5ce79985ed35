/**
 * Where large contents live when they do not live in the database: artifacts' contents and the
 * files of file trees above a size threshold (see docs/engine.md, "Where contents live").
 *
 * Keys are `<tenant>/<sha256>` ({@link blobKey}): contents are addressed by their SHA-256, so the
 * same content put twice is one object, and an object never changes once written. The tenant
 * prefix keeps each tenant's contents apart (a tenant must not learn whether another has a file).
 *
 * The port is deliberately small — put, get, stream, has, delete by key — so that an
 * S3-compatible adapter (PUT/GET/HEAD/DELETE of an object) can implement it as well as the
 * filesystem adapter of `@baton/store`. Every adapter passes `blobStoreContract`
 * (`@baton/engine/testing`).
 *
 * Two more verbs serve the sweep that frees what no row names any more (`@baton/store`'s
 * `blob-sweep.ts`): {@link BlobStore.list}, each key with when it was last put, and
 * {@link BlobStore.deleteIfPutBefore}. A put of a key that exists counts as a put (it refreshes
 * the time): a writer puts a content before it commits the row naming it, so a content put
 * recently may be about to be named, and the sweep removes only contents last put longer ago than
 * its grace period — atomically with respect to a put (see `deleteIfPutBefore`).
 */
import { BatonError, ErrorCode } from '../errors.js';

/**
 * Storage of immutable contents by key. Methods fail (reject) only when the storage does (an I/O
 * error, a key that is not a {@link blobKey}); a missing key is not a failure.
 */
export interface BlobStore {
  /**
   * Stores `content` under `key`. Atomic: until it resolves nobody sees the key, and after a crash
   * the key holds the whole content or nothing (never a part). Putting a key that exists keeps
   * the content already there (keys are content addresses: it is the same content) and makes now
   * the time it was last put ({@link BlobEntry.putAt}).
   */
  put(key: string, content: Uint8Array): Promise<void>;
  /** The content under `key`, or undefined when there is none. */
  get(key: string): Promise<Uint8Array | undefined>;
  /**
   * The content under `key` as a stream of bytes, or undefined when there is none — for contents
   * too large to hold in memory at once (a zip download).
   */
  stream(key: string): Promise<ReadableStream<Uint8Array> | undefined>;
  /** Whether `key` holds a content. */
  has(key: string): Promise<boolean>;
  /** Removes the content under `key`; nothing happens when there is none. */
  delete(key: string): Promise<void>;
  /**
   * Every content the store holds — only `tenantId`'s when given — with its size and when it was
   * last put, in no particular order. A key put or removed while the listing runs may be in it or
   * not; anything that is not a content (a put's temporary file) is not.
   */
  list(tenantId?: string): AsyncIterable<BlobEntry>;
  /**
   * Removes the content under `key` if it was last put before `before` (epoch ms); resolves to
   * whether it removed it (false when the key holds none, or was put at or after `before`).
   * Atomic with respect to {@link put}: a put of `key` that starts at or after `before` and
   * resolves is never undone — either this call sees its time and keeps the content, or the put
   * comes after the removal and stores the content again.
   */
  deleteIfPutBefore(key: string, before: number): Promise<boolean>;
}

/** One content of a {@link BlobStore.list}ing. */
export interface BlobEntry {
  readonly key: string;
  /** Its size in bytes. */
  readonly size: number;
  /** When it was last put (epoch ms): written, or put again. */
  readonly putAt: number;
}

const SHA256 = /^[0-9a-f]{64}$/;

/**
 * The key of a content: `<tenant>/<sha256>`. Fails (throws) when `sha256` is not 64 lowercase hex
 * digits or the tenant is empty (an `INTERNAL` error: a bug in the caller).
 */
export function blobKey(tenantId: string, sha256: string): string {
  if (tenantId === '' || !SHA256.test(sha256)) {
    throw new BatonError(ErrorCode.internal, `not a blob key: tenant "${tenantId}", sha256 "${sha256}"`);
  }
  return `${tenantId}/${sha256}`;
}

/**
 * The tenant and hash of a {@link blobKey}, or undefined when `key` is not one. A tenant may hold
 * any character, `/` too: the hash is what follows the last `/`.
 */
export function parseBlobKey(
  key: string,
): { readonly tenantId: string; readonly sha256: string } | undefined {
  const slash = key.lastIndexOf('/');
  if (slash <= 0) return undefined;
  const sha256 = key.slice(slash + 1);
  if (!SHA256.test(sha256)) return undefined;
  return { tenantId: key.slice(0, slash), sha256 };
}
