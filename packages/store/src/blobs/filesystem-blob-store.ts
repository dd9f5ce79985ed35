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
 *
 * When a content was last put is its file's modification time: a new file gets the clock's time
 * before its rename, and a put of a file that exists sets it (`utimes`) instead of writing. A put
 * whose `utimes` finds no file writes the file.
 *
 * `deleteIfPutBefore` never unlinks the content's name: it renames the file aside
 * (`.<sha256>.<random>.sweep`), looks at the time of what it moved, and unlinks that — or renames
 * it back when a put had set a time at or after `before` meanwhile. A put either set its time
 * before the rename (then the moved file shows it and is put back) or finds no file after it
 * (then it writes the content again). A crash between the two renames leaves a `.sweep` file
 * nobody reads. That the file's time and a rename are ordered is what this relies on — true of a
 * local filesystem and of NFS for calls from one machine; across machines, their clocks must agree
 * to well within the sweep's grace period.
 */
import { randomBytes } from 'node:crypto';
import type { Stats } from 'node:fs';
import { mkdir, open, opendir, readFile, rename, rm, stat, unlink, utimes } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import {
  BatonError,
  blobKey,
  ErrorCode,
  parseBlobKey,
  type BlobEntry,
  type BlobStore,
  type Clock,
} from '@baton/engine';
import { StoreError, StoreErrorCode } from '../store-error.js';

/** Options of {@link createFilesystemBlobStore}. */
export interface FilesystemBlobStoreOptions {
  /** The directory that holds the contents (created when missing). */
  readonly dir: string;
  /** What "now" is when a content is put: its file's modification time (default: the wall clock). */
  readonly clock?: Clock;
}

const PLAIN_TENANT = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}$/;
const SHA256_NAME = /^[0-9a-f]{64}$/;
const ENCODED_TENANT = /^~((?:[0-9a-f]{2})+)$/;

/** The directory name of a tenant's contents (see above). */
function tenantDirName(tenantId: string): string {
  return PLAIN_TENANT.test(tenantId) ? tenantId : `~${Buffer.from(tenantId, 'utf8').toString('hex')}`;
}

/** The tenant whose directory is `name`, or undefined when no tenant's is (see above). */
function tenantOfDir(name: string): string | undefined {
  if (PLAIN_TENANT.test(name)) return name;
  const hex = ENCODED_TENANT.exec(name)?.[1];
  return hex === undefined ? undefined : Buffer.from(hex, 'hex').toString('utf8');
}

/** When a file's content was last put: its modification time, in whole milliseconds. */
function putAtOf(stats: Stats): number {
  return Math.round(stats.mtimeMs);
}

/**
 * A {@link BlobStore} on the filesystem under `options.dir`. I/O failures reject with
 * `STORAGE_ERROR` (retryable) naming the file; a key that is not `<tenant>/<sha256>` with an
 * `INTERNAL` error.
 */
export function createFilesystemBlobStore(options: FilesystemBlobStoreOptions): BlobStore {
  const root = path.resolve(options.dir);
  const now = (): Date => new Date(options.clock?.now() ?? Date.now());

  function fileOf(key: string): { readonly dir: string; readonly file: string; readonly sha256: string } {
    const parsed = parseBlobKey(key);
    if (parsed === undefined) throw new BatonError(ErrorCode.internal, `not a blob key: "${key}"`);
    const dir = path.join(root, tenantDirName(parsed.tenantId));
    return { dir, file: path.join(dir, parsed.sha256), sha256: parsed.sha256 };
  }

  return {
    async put(key, content) {
      const { dir, file, sha256 } = fileOf(key);
      const at = now();
      try {
        if (await touch(file, at)) return;
      } catch (error) {
        throw ioError('store', file, error);
      }
      const temporary = path.join(dir, `.${sha256}.${randomBytes(6).toString('hex')}.tmp`);
      try {
        await mkdir(dir, { recursive: true });
        const handle = await open(temporary, 'wx');
        try {
          await handle.writeFile(content);
          await handle.utimes(at, at);
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

    async *list(tenantId) {
      const names = tenantId === undefined ? await namesIn(root) : [tenantDirName(tenantId)];
      for (const name of names) {
        const tenant = tenantId ?? tenantOfDir(name);
        if (tenant === undefined) continue;
        yield* contentsOf(path.join(root, name), tenant);
      }
    },

    async deleteIfPutBefore(key, before) {
      const { dir, file, sha256 } = fileOf(key);
      try {
        const seen = await statOf(file);
        if (seen === undefined || !seen.isFile() || putAtOf(seen) >= before) return false;
        const aside = path.join(dir, `.${sha256}.${randomBytes(6).toString('hex')}.sweep`);
        try {
          await rename(file, aside);
        } catch (error) {
          if (isMissing(error)) return false;
          throw error;
        }
        if (putAtOf(await stat(aside)) >= before) {
          // Put again between the look and the rename: it may be about to be named. Back under its
          // name (over a copy a put wrote meanwhile, if any: the same content).
          await rename(aside, file);
          return false;
        }
        await unlink(aside);
        return true;
      } catch (error) {
        throw ioError('delete', file, error);
      }
    },
  };
}

/** The names in `dir`, none when it does not exist. */
async function namesIn(dir: string): Promise<string[]> {
  try {
    const names: string[] = [];
    for await (const entry of await opendir(dir)) if (entry.isDirectory()) names.push(entry.name);
    return names;
  } catch (error) {
    if (isMissing(error)) return [];
    throw ioError('list', dir, error);
  }
}

/** The contents of one tenant's directory (none when it does not exist); other files are skipped. */
async function* contentsOf(dir: string, tenantId: string): AsyncGenerator<BlobEntry> {
  let entries;
  try {
    entries = await opendir(dir);
  } catch (error) {
    if (isMissing(error)) return;
    throw ioError('list', dir, error);
  }
  for await (const entry of entries) {
    if (!SHA256_NAME.test(entry.name)) continue;
    const file = path.join(dir, entry.name);
    let stats;
    try {
      stats = await statOf(file);
    } catch (error) {
      throw ioError('list', file, error);
    }
    if (stats === undefined || !stats.isFile()) continue;
    yield { key: blobKey(tenantId, entry.name), size: stats.size, putAt: putAtOf(stats) };
  }
}

/** Sets a file's times to `at`; false when there is no file. */
async function touch(file: string, at: Date): Promise<boolean> {
  try {
    await utimes(file, at, at);
    return true;
  } catch (error) {
    if (isMissing(error)) return false;
    throw error;
  }
}

async function statOf(file: string): Promise<Stats | undefined> {
  try {
    return await stat(file);
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
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
