/**
 * Fresh, migrated databases for server tests: an in-memory PGlite, or a new PostgreSQL database
 * (`baton_server_<random>`) on the server of `BATON_TEST_DATABASE_URL`, dropped on close.
 * `describeOnBackends` declares a suite once per backend.
 */
import { describe } from 'vitest';
import { migrate, openPgliteDb, openPostgresDb, type Db } from '@baton/store';
import { createTestDatabase, describeOnPostgres } from '@baton/store/testing';

/** Where a suite's databases live. */
export type TestBackend =
  { readonly kind: 'pglite' } | { readonly kind: 'postgres'; readonly adminUrl: string };

/**
 * Declares the suite `body` twice: `<title> (PGlite)`, and `<title> (PostgreSQL)` on the server of
 * `BATON_TEST_DATABASE_URL` (skipped without it; failing in CI, see `describeOnPostgres`).
 */
export function describeOnBackends(title: string, body: (backend: TestBackend) => void): void {
  describe(`${title} (PGlite)`, () => body({ kind: 'pglite' }));
  describeOnPostgres(`${title} (PostgreSQL)`, (adminUrl) => body({ kind: 'postgres', adminUrl }));
}

/** A migrated database of its own. */
export interface TestDatabase {
  readonly backend: TestBackend;
  /** The database (its first connection pool). */
  readonly db: Db;
  /**
   * Another, separate `Db` on the same database, as a second server process would have (PostgreSQL
   * only: a PGlite database belongs to one process; throws there). Closed by `close`.
   */
  connectAgain(): Db;
  /** Closes every `Db` and drops the PostgreSQL database. */
  close(): Promise<void>;
}

export async function openTestDatabase(backend: TestBackend): Promise<TestDatabase> {
  if (backend.kind === 'pglite') {
    const db = await openPgliteDb();
    await migrate(db);
    return {
      backend,
      db,
      connectAgain: () => {
        throw new Error('a PGlite database has one connection: run this test on PostgreSQL');
      },
      close: () => db.close(),
    };
  }
  const database = await createTestDatabase(backend.adminUrl, 'baton_server');
  const dbs: Db[] = [];
  const connect = (): Db => {
    const db = openPostgresDb({ connectionString: database.url, maxConnections: 4 });
    dbs.push(db);
    return db;
  };
  const db = connect();
  await migrate(db);
  return {
    backend,
    db,
    connectAgain: connect,
    close: async () => {
      await Promise.all(dbs.map((each) => each.close()));
      await database.drop();
    },
  };
}
