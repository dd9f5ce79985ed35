import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BatonError, ErrorCode, type ScopedRunStore } from '@baton/engine';
import { isRuntimeError, RuntimeErrorCode } from '@baton/runtime';
import { blobStorage, openHomeDatabase } from '@baton/server/home';
import {
  createSqlRunStore,
  openPgliteStore,
  openPostgresStore,
  redactUrl,
  type Db,
  type StoreBlobsOptions,
  type StoreHooks,
} from '@baton/store';
import { blobOptions, type BlobFlags } from './blob-options.js';
import { faultInjector } from './fault-injection.js';

/**
 * Where runs live: an embedded `$BATON_HOME` (PGlite; this process owns it until `close()`), or a
 * PostgreSQL database shared by any number of processes and machines.
 */
export interface Home {
  /** The home directory, or the database URL with its password hidden. */
  readonly dir: string;
  readonly store: ScopedRunStore;
  /** True for an embedded home: this process is the only one that can execute its runs. */
  readonly embedded: boolean;
  /**
   * The embedded database this process holds (the store's): what a driving command serves the
   * home's socket on. Undefined on PostgreSQL and on a copy read while another process holds it.
   */
  readonly db?: Db;
  close(): Promise<void>;
}

export interface HomeOptions extends BlobFlags {
  /** A PostgreSQL URL (`--database-url`, else `$BATON_DATABASE_URL`); without one, `$BATON_HOME`. */
  readonly databaseUrl?: string;
}

/**
 * The blob store of the home's run store (`blobStorage`): `$BATON_HOME/blobs` on the embedded
 * database, else the shared directory `--blobs-dir`/`$BATON_BLOBS_DIR` names, if any.
 */
function blobsOf(options: HomeOptions, embedded: boolean): { readonly blobs?: StoreBlobsOptions } {
  const { blobsDir, blobThreshold } = blobOptions(options);
  const blobs = blobStorage({
    home: homeDir(),
    embedded,
    ...(blobsDir === undefined ? {} : { blobsDir }),
    ...(blobThreshold === undefined ? {} : { threshold: blobThreshold }),
  });
  return blobs === undefined ? {} : { blobs };
}

function databaseUrlOf(options: HomeOptions): string | undefined {
  const url = options.databaseUrl ?? process.env.BATON_DATABASE_URL;
  return url === undefined || url === '' ? undefined : url;
}

/** `BATON_FAULT=after-append:N` kills the process inside the N-th writing transaction, before COMMIT. */
function faultHooks(): StoreHooks {
  const faults = faultInjector();
  return { beforeCommit: () => faults.hit('after-append') };
}

async function openDatabase(url: string, options: HomeOptions): Promise<Home> {
  let store: ScopedRunStore;
  try {
    store = await openPostgresStore({
      connectionString: url,
      hooks: faultHooks(),
      ...blobsOf(options, false),
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new BatonError(
      ErrorCode.badRequest,
      `cannot use the database ${redactUrl(url)}: ${reason} — check --database-url`,
      {
        cause: error,
      },
    );
  }
  return homeOf(redactUrl(url), store, () => Promise.resolve(), false);
}

/** `$BATON_HOME`, default `./.baton`. */
export function homeDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.BATON_HOME ?? '.baton');
}

/**
 * Takes the exclusive lock on `$BATON_HOME` and opens its embedded database (as `baton serve`
 * does: `openHomeDatabase`). Fails with HOME_LOCKED (exit 2) naming the owner's pid when another
 * `baton` process owns it.
 */
export async function openHome(options: HomeOptions = {}): Promise<Home> {
  const url = databaseUrlOf(options);
  if (url !== undefined) return openDatabase(url, options);
  const dir = homeDir();
  const blobs = blobsOf(options, true);
  const held = await openHomeDatabase(dir);
  const store = createSqlRunStore(held.db, { hooks: faultHooks(), ...blobs });
  return { ...homeOf(dir, store, () => held.release(), true), db: held.db };
}

/**
 * Opens `$BATON_HOME` for a command that only reads. When another process owns the home, reads a
 * private copy of its database instead (the owner's files are never opened), so `baton runs` and
 * `baton show` work while a run is being driven; if the copy cannot be opened, fails with
 * HOME_LOCKED like a writer would.
 */
export async function openHomeForReading(options: HomeOptions = {}): Promise<Home> {
  const dir = homeDir();
  try {
    return await openHome(options);
  } catch (error) {
    if (!isRuntimeError(error, RuntimeErrorCode.homeLocked)) throw error;
    const copy = await mkdtemp(path.join(tmpdir(), 'baton-read-'));
    try {
      await cp(path.join(dir, 'db'), path.join(copy, 'db'), { recursive: true });
      // The copy's contents in the blob store are the home's own files: written whole, never changed.
      const store = await openPgliteStore({ dataDir: path.join(copy, 'db'), ...blobsOf(options, true) });
      return homeOf(dir, store, () => rm(copy, { recursive: true, force: true }), true);
    } catch {
      await rm(copy, { recursive: true, force: true });
      throw error;
    }
  }
}

/** A home whose `close()` closes the store, then runs `cleanup` (even when closing failed). */
function homeOf(dir: string, store: ScopedRunStore, cleanup: () => Promise<void>, embedded: boolean): Home {
  return {
    dir,
    store,
    embedded,
    async close() {
      try {
        await store.close();
      } finally {
        await cleanup();
      }
    },
  };
}
