import type { RunStore } from '@baton/engine';
import { openPgliteDb } from './pglite-db.js';
import { openMigratedStore, type StoreHooks } from './sql-run-store.js';

/** Options of {@link openPgliteStore}. */
export interface PgliteStoreOptions {
  /** Directory of the database files (created when missing); undefined keeps everything in memory. */
  readonly dataDir?: string;
  /** Test hooks (see {@link StoreHooks}). */
  readonly hooks?: StoreHooks;
}

/**
 * Opens a {@link RunStore} on an embedded PGlite database and brings its schema up to date. One
 * process at a time may open a data directory. Takes 2–3 s for a new database (up to 4.5 s for
 * the first in a process) and 0.3 s for an existing directory (see `pglite-db.ts`). Fails with
 * `STORAGE_ERROR` when the directory cannot be opened or was migrated by a newer Baton.
 */
export async function openPgliteStore(options: PgliteStoreOptions = {}): Promise<RunStore> {
  return openMigratedStore(
    await openPgliteDb(options),
    options.hooks === undefined ? {} : { hooks: options.hooks },
  );
}
