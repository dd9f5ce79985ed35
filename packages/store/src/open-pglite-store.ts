import type { ScopedRunStore } from '@baton/engine';
import { openPgliteDb } from './pglite-db.js';
import type { StoreBlobsOptions } from './blobs/content-placement.js';
import { openMigratedStore, type StoreHooks } from './sql-run-store.js';

/** Options of {@link openPgliteStore}. */
export interface PgliteStoreOptions {
  /** Directory of the database files (created when missing); undefined keeps everything in memory. */
  readonly dataDir?: string;
  /** Test hooks (see {@link StoreHooks}). */
  readonly hooks?: StoreHooks;
  /** Where contents above a threshold go (see `SqlRunStoreOptions.blobs`); default: the database. */
  readonly blobs?: StoreBlobsOptions;
}

/**
 * Opens a store on an embedded PGlite database and brings its schema up to date. The store is
 * the system scope (see `createSqlRunStore`): it sees every tenant's runs and creates runs in the
 * local tenant; `forTenant` gives a tenant's view. One process at a time may open a data directory. Takes 2–3 s for a new database (up to 4.5 s for
 * the first in a process) and 0.3 s for an existing directory (see `pglite-db.ts`). Fails with
 * `STORAGE_ERROR` when the directory cannot be opened or was migrated by a newer Baton.
 */
export async function openPgliteStore(options: PgliteStoreOptions = {}): Promise<ScopedRunStore> {
  return openMigratedStore(await openPgliteDb(options), {
    ...(options.hooks === undefined ? {} : { hooks: options.hooks }),
    ...(options.blobs === undefined ? {} : { blobs: options.blobs }),
  });
}
