import type { RunStore } from '@baton/engine';
import { migrate } from './migrate.js';
import { openPostgresDb } from './postgres-db.js';
import { createSqlRunStore } from './sql-run-store.js';

/** Options of {@link openPostgresStore}. */
export interface PostgresStoreOptions {
  /** `postgres://user@host:port/database`. */
  readonly connectionString: string;
  /** Most connections the pool opens (default 10). */
  readonly maxConnections?: number;
}

/**
 * Opens a {@link RunStore} on PostgreSQL and brings its schema up to date (safe when several
 * processes start at once). Fails with `STORAGE_ERROR` when the database cannot be reached or was
 * migrated by a newer Baton.
 */
export async function openPostgresStore(options: PostgresStoreOptions): Promise<RunStore> {
  const db = openPostgresDb(options);
  try {
    await migrate(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  return createSqlRunStore(db);
}
