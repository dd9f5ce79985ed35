import { readdir, readFile } from 'node:fs/promises';
import { BatonError } from '@baton/engine';
import type { Db } from './db.js';
import { StoreError, StoreErrorCode } from './store-error.js';
import { createMigrationsTable } from './sql/create-migrations-table.js';
import { insertMigration } from './sql/insert-migration.js';
import { lockMigrations } from './sql/lock-migrations.js';
import { migrationsTableExists } from './sql/migrations-table-exists.js';
import { selectMigrations } from './sql/select-migrations.js';

/** The numbered SQL files of `packages/store/migrations` (`0001_init.sql` …). */
const MIGRATIONS_DIR = new URL('../migrations/', import.meta.url);

/** One migration file. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/** Reads the migration files, ordered by version. */
export async function loadMigrations(): Promise<Migration[]> {
  const files = (await readdir(MIGRATIONS_DIR)).filter((file) => file.endsWith('.sql'));
  const migrations: Migration[] = [];
  for (const file of files) {
    const match = /^(\d+)_([\w-]+)\.sql$/.exec(file);
    if (match === null)
      throw new BatonError('INTERNAL', `migration file "${file}" is not named NNNN_name.sql`);
    migrations.push({
      version: Number(match[1]),
      name: match[2]!,
      sql: await readFile(new URL(file, MIGRATIONS_DIR), 'utf8'),
    });
  }
  return migrations.sort((a, b) => a.version - b.version);
}

/** Options of {@link migrate}. */
export interface MigrateOptions {
  /** Stop after this version (default: the latest). Tests of a migration start from the one before. */
  readonly upTo?: number;
}

/**
 * Brings the database schema up to date (or up to `options.upTo`) and returns the versions it
 * applied (none when current). Each migration runs in its own transaction, holding the migration
 * lock, and is recorded in `baton_migrations` in that transaction. Safe when several processes
 * start at once (see `sql/lock-migrations.ts`). Fails when the database was migrated by a newer
 * Baton.
 */
export async function migrate(db: Db, options: MigrateOptions = {}): Promise<number[]> {
  const migrations = await loadMigrations();
  const latest = migrations.at(-1)?.version ?? 0;
  const wanted = migrations.filter((m) => options.upTo === undefined || m.version <= options.upTo);
  // Every process migrates the database it opens, and almost always finds it current: then one
  // transaction that only reads says so, taking no lock and writing nothing (the locked
  // transactions below, one per migration, each cost a commit). A version recorded is committed;
  // any missing one goes the locked way below.
  const current = await db.transaction(async (tx) => {
    if (!(await migrationsTableExists(tx))) return false;
    const done = await selectMigrations(tx);
    checkNotNewer(done, latest);
    return wanted.every((m) => done.includes(m.version));
  });
  if (current) return [];
  const applied: number[] = [];
  for (const migration of wanted) {
    const ran = await db.transaction(async (tx) => {
      await lockMigrations(tx);
      await createMigrationsTable(tx);
      const done = await selectMigrations(tx);
      checkNotNewer(done, latest);
      if (done.includes(migration.version)) return false;
      await tx.exec(migration.sql);
      await insertMigration(tx, migration.version, migration.name);
      return true;
    });
    if (ran) applied.push(migration.version);
  }
  return applied;
}

/** Fails when the database was migrated by a newer Baton (`done`: the versions recorded, ascending). */
function checkNotNewer(done: readonly number[], latest: number): void {
  const newest = done.at(-1) ?? 0;
  if (newest > latest) {
    throw new StoreError(
      StoreErrorCode.storage,
      `the database has schema version ${newest} but this Baton knows only up to ${latest}; upgrade Baton`,
    );
  }
}
