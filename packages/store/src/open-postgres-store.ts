import type { ScopedRunStore } from '@baton/engine';
import { openPostgresDb } from './postgres-db.js';
import type { StoreBlobsOptions } from './blobs/content-placement.js';
import { openMigratedStore, type StoreHooks } from './sql-run-store.js';

/** Options of {@link openPostgresStore}. */
export interface PostgresStoreOptions {
  /** `postgres://user@host:port/database`. */
  readonly connectionString: string;
  /** Most connections the pool opens (default 10). */
  readonly maxConnections?: number;
  /** Test hooks (see {@link StoreHooks}). */
  readonly hooks?: StoreHooks;
  /** Where contents above a threshold go (see `SqlRunStoreOptions.blobs`); default: the database. */
  readonly blobs?: StoreBlobsOptions;
}

/**
 * Opens a store on PostgreSQL and brings its schema up to date (safe when several processes start
 * at once). The store is the system scope (see `createSqlRunStore`): it sees every tenant's runs
 * and creates runs in the local tenant; `forTenant` gives a tenant's view. Fails with
 * `STORAGE_ERROR` when the database cannot be reached or was migrated by a newer Baton.
 */
export async function openPostgresStore(options: PostgresStoreOptions): Promise<ScopedRunStore> {
  return openMigratedStore(openPostgresDb(options), {
    ...(options.hooks === undefined ? {} : { hooks: options.hooks }),
    ...(options.blobs === undefined ? {} : { blobs: options.blobs }),
  });
}
