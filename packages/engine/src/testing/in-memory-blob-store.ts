import { BatonError, ErrorCode } from '../errors.js';
import { parseBlobKey, type BlobStore } from '../ports/blob-store.js';

/**
 * A {@link BlobStore} in this process's memory, for tests: what an adapter must do, without I/O.
 * Contents are copied in and out, so a caller changing its bytes changes nothing stored.
 */
export function createInMemoryBlobStore(): BlobStore {
  const contents = new Map<string, Uint8Array>();
  /** `key` checked, or a rejected promise: every method fails the way an adapter's would. */
  const checked = <T>(key: string, read: () => T): Promise<T> =>
    parseBlobKey(key) === undefined
      ? Promise.reject(new BatonError(ErrorCode.internal, `not a blob key: "${key}"`))
      : Promise.resolve(read());
  return {
    put: (key, content) =>
      checked(key, () => {
        if (!contents.has(key)) contents.set(key, content.slice());
      }),
    get: (key) => checked(key, () => contents.get(key)?.slice()),
    stream: (key) =>
      checked(key, () => {
        const content = contents.get(key);
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
  };
}
