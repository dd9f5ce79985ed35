import type { RunStore } from '@baton/engine';
import { openPostgresDb } from './postgres-db.js';
import { openMigratedStore, type StoreHooks } from './sql-run-store.js';

/** Options of {@link openPostgresStore}. */
export interface PostgresStoreOptions {
  /** `postgres://user@host:port/database`. */
  readonly connectionString: string;
  /** Most connections the pool opens (default 10). */
  readonly maxConnections?: number;
  /** Test hooks (see {@link StoreHooks}). */
  readonly hooks?: StoreHooks;
}

/**
 * Opens a {@link RunStore} on PostgreSQL and brings its schema up to date (safe when several
 * processes start at once). Fails with `STORAGE_ERROR` when the database cannot be reached or was
 * migrated by a newer Baton.
 */
export async function openPostgresStore(options: PostgresStoreOptions): Promise<RunStore> {
  return openMigratedStore(
    openPostgresDb(options),
    options.hooks === undefined ? {} : { hooks: options.hooks },
  );
}
