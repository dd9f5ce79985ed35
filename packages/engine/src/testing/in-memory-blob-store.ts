import { BatonError, ErrorCode } from '../errors.js';
import { parseBlobKey, type BlobEntry, type BlobStore } from '../ports/blob-store.js';
import type { Clock } from '../ports/clock.js';

/** Options of {@link createInMemoryBlobStore}. */
export interface InMemoryBlobStoreOptions {
  /** What "now" is when a content is put (default: the wall clock). */
  readonly clock?: Clock;
}

/**
 * A {@link BlobStore} in this process's memory, for tests: what an adapter must do, without I/O.
 * Contents are copied in and out, so a caller changing its bytes changes nothing stored. One event
 * loop runs every method whole, so `deleteIfPutBefore` is atomic with respect to `put` as it is.
 */
export function createInMemoryBlobStore(options: InMemoryBlobStoreOptions = {}): BlobStore {
  const now = () => options.clock?.now() ?? Date.now();
  const contents = new Map<string, { bytes: Uint8Array; putAt: number }>();
  /** `key` checked, or a rejected promise: every method fails the way an adapter's would. */
  const checked = <T>(key: string, read: () => T): Promise<T> =>
    parseBlobKey(key) === undefined
      ? Promise.reject(new BatonError(ErrorCode.internal, `not a blob key: "${key}"`))
      : Promise.resolve(read());
  return {
    put: (key, content) =>
      checked(key, () => {
        const held = contents.get(key);
        if (held === undefined) contents.set(key, { bytes: content.slice(), putAt: now() });
        else held.putAt = now();
      }),
    get: (key) => checked(key, () => contents.get(key)?.bytes.slice()),
    stream: (key) =>
      checked(key, () => {
        const content = contents.get(key)?.bytes;
        if (content === undefined) return undefined;
        return new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(content.slice());
            controller.close();
          },
        });
      }),
    has: (key) => checked(key, () => contents.has(key)),
    delete: (key) =>
      checked(key, () => {
        contents.delete(key);
      }),
    list(tenantId) {
      // A snapshot: what the listing returns does not change while the caller deletes.
      const entries: BlobEntry[] = [];
      for (const [key, { bytes, putAt }] of contents) {
        if (tenantId === undefined || parseBlobKey(key)?.tenantId === tenantId) {
          entries.push({ key, size: bytes.byteLength, putAt });
        }
      }
      return {
        [Symbol.asyncIterator]: () => {
          const each = entries.values();
          return { next: () => Promise.resolve(each.next()) };
        },
      };
    },
    deleteIfPutBefore: (key, before) =>
      checked(key, () => {
        const held = contents.get(key);
        if (held === undefined || held.putAt >= before) return false;
        contents.delete(key);
        return true;
      }),
  };
}
