/**
 * The filesystem adapter of the {@link BlobStore} port: one file per content, at
 * `<dir>/<tenant>/<sha256>` (`$BATON_HOME/blobs` for a home; see docs/engine.md, "Where contents
 * live").
 *
 * A put writes a temporary file beside the final one (`.<sha256>.<random>.tmp`: never a key's
 * name), flushes it to disk (fsync), then renames it to its final name and flushes the directory:
 * a rename within a directory is atomic, so a reader sees the whole content or no file, and a
 * crash at any point leaves at worst a temporary file nobody reads. Contents are addressed by
 * hash, so a file that exists is never written again: the same content twice is one file, and
 * two processes putting it at once both rename a whole file onto the same name.
 *
 * Tenant directories: a tenant id made of letters, digits, `.`, `_` and `-` (not starting with
 * `.`) is its directory's name; any other id is `~` and its UTF-8 bytes in hex, so no id can
 * climb out of `dir` or name another's directory.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { BatonError, ErrorCode, parseBlobKey, type BlobStore } from '@baton/engine';
import { StoreError, StoreErrorCode } from '../store-error.js';

/** Options of {@link createFilesystemBlobStore}. */
export interface FilesystemBlobStoreOptions {
  /** The directory that holds the contents (created when missing). */
  readonly dir: string;
}

const PLAIN_TENANT = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}$/;

/** The directory name of a tenant's contents (see above). */
function tenantDirName(tenantId: string): string {
  return PLAIN_TENANT.test(tenantId) ? tenantId : `~${Buffer.from(tenantId, 'utf8').toString('hex')}`;
}

/**
 * A {@link BlobStore} on the filesystem under `options.dir`. I/O failures reject with
 * `STORAGE_ERROR` (retryable) naming the file; a key that is not `<tenant>/<sha256>` with an
 * `INTERNAL` error.
 */
export function createFilesystemBlobStore(options: FilesystemBlobStoreOptions): BlobStore {
  const root = path.resolve(options.dir);

  function fileOf(key: string): { readonly dir: string; readonly file: string; readonly sha256: string } {
    const parsed = parseBlobKey(key);
    if (parsed === undefined) throw new BatonError(ErrorCode.internal, `not a blob key: "${key}"`);
    const dir = path.join(root, tenantDirName(parsed.tenantId));
    return { dir, file: path.join(dir, parsed.sha256), sha256: parsed.sha256 };
  }

  return {
    async put(key, content) {
      const { dir, file, sha256 } = fileOf(key);
      if (await exists(file)) return;
      const temporary = path.join(dir, `.${sha256}.${randomBytes(6).toString('hex')}.tmp`);
      try {
        await mkdir(dir, { recursive: true });
        const handle = await open(temporary, 'wx');
        try {
          await handle.writeFile(content);
          await handle.sync();
        } finally {
          await handle.close();
        }
        await rename(temporary, file);
        await syncDirectory(dir);
      } catch (error) {
        await unlink(temporary).catch(() => undefined);
        throw ioError('store', file, error);
      }
    },

    async get(key) {
      const { file } = fileOf(key);
      try {
        return new Uint8Array(await readFile(file));
      } catch (error) {
        if (isMissing(error)) return undefined;
        throw ioError('read', file, error);
      }
    },

    async stream(key) {
      const { file } = fileOf(key);
      let handle;
      try {
        handle = await open(file, 'r');
      } catch (error) {
        if (isMissing(error)) return undefined;
        throw ioError('read', file, error);
      }
      // The stream closes the handle when it ends, fails or is cancelled.
      return Readable.toWeb(handle.createReadStream()) as ReadableStream<Uint8Array>;
    },

    async has(key) {
      const { file } = fileOf(key);
      try {
        return await exists(file);
      } catch (error) {
        throw ioError('look for', file, error);
      }
    },

    async delete(key) {
      const { file } = fileOf(key);
      try {
        await rm(file, { force: true });
      } catch (error) {
        throw ioError('delete', file, error);
      }
    },
  };
}

async function exists(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch (error) {
    if (isMissing(error)) return false;
    throw error;
  }
}

/** Flushes a directory's entries (the rename) to disk; some filesystems refuse, which costs only durability. */
async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync().catch(() => undefined);
  } finally {
    await handle.close();
  }
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}

function ioError(doing: string, file: string, error: unknown): StoreError {
  const reason = error instanceof Error ? error.message : String(error);
  return new StoreError(StoreErrorCode.storage, `cannot ${doing} the content file ${file}: ${reason}`, {
    cause: error,
    retryable: true,
  });
}
