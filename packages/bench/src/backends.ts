/**
 * The two storage backends under test, each on a fresh database, with a way to read how many
 * transactions the database itself committed (`pg_stat_database.xact_commit`).
 *
 * Reading that counter is subtle: a backend accumulates its statistics locally and publishes them
 * lazily — at most once a second while busy and only after about 10 s of idleness, or when it
 * exits (`pg_stat_force_next_flush()` only affects the session calling it). So on PostgreSQL
 * every measurement gets its own connection pool, closed at the end (the backends exit and
 * flush), and the counter is read from a connection to the *administrative* database (its own
 * commits count there, not in the bench database) until it stops moving; a new connection's
 * startup transaction counts too, so the number of sessions opened is subtracted. PGlite is one backend
 * in this process: a read forces its flush first and costs a known number of commits, which are
 * subtracted.
 */
import { randomBytes } from 'node:crypto';
import type { RunStore } from '@baton/engine';
import { createSqlRunStore, migrate, openPgliteDb, openPostgresDb, type Db } from '@baton/store';
import { attribute, tallyDb, tallyStore, type CommitTally } from './commit-tally.js';

/** The bench's own warm-up statements (opening the pool's connections): not part of a run. */
export const WARMUP = 'bench-warmup';

/** A store for one measurement, tallied; `finish` closes what must close and counts commits. */
interface Session {
  readonly store: RunStore;
  /**
   * Ends the measurement: the database's own count of commits since the session began (minus the
   * bench's warm-up), or undefined when it cannot be read.
   */
  finish(): Promise<number | undefined>;
}

export interface Backend {
  readonly name: 'pglite' | 'postgres';
  /** PostgreSQL's version string, for the report. */
  readonly version: string;
  /** The bench database's URL (PostgreSQL only: workers in other processes connect to it). */
  readonly databaseUrl?: string;
  /** Why `finish` yields no server-side count, when it never does. */
  readonly commitsUnavailable?: string;
  /** Opens a store for one measurement; `concurrency` connections are opened first. */
  session(tally: CommitTally, concurrency: number): Promise<Session>;
  /** Drops the database. */
  dispose(): Promise<void>;
}

/** A fresh in-memory PGlite database (one for the whole bench: opening one takes seconds). */
export async function openPgliteBackend(tally: CommitTally): Promise<Backend> {
  const db = await openPgliteDb();
  await migrate(db);
  const version = await scalar<string>(db, 'SELECT version() AS value');
  const store = tallyStore(createSqlRunStore(tallyDb(db, tally)), tally);
  let readCost: number | undefined;
  let commitsUnavailable: string | undefined;
  const read = async (): Promise<number | undefined> => {
    try {
      await db.query('SELECT pg_stat_force_next_flush()');
      return Number(
        await scalar(
          db,
          'SELECT xact_commit AS value FROM pg_stat_database WHERE datname = current_database()',
        ),
      );
    } catch (error) {
      commitsUnavailable = `pg_stat_database cannot be read in PGlite: ${String(error)}`;
      return undefined;
    }
  };
  // Two reads in a row: the difference is what one read costs.
  const first = await read();
  const second = await read();
  if (first !== undefined && second !== undefined) readCost = second - first;
  return {
    name: 'pglite',
    version,
    ...(commitsUnavailable === undefined ? {} : { commitsUnavailable }),
    async session() {
      const before = await read();
      return {
        store,
        async finish() {
          const after = await read();
          if (before === undefined || after === undefined || readCost === undefined) return undefined;
          return after - before - readCost;
        },
      };
    },
    async dispose() {
      await db.close();
    },
  };
}

/** A fresh database `baton_bench_<random>` on the server of `adminUrl`, migrated. */
export async function openPostgresBackend(adminUrl: string): Promise<Backend> {
  const admin = openPostgresDb({ connectionString: adminUrl, maxConnections: 1 });
  const name = `baton_bench_${randomBytes(4).toString('hex')}`;
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } catch (error) {
    await admin.close();
    throw error;
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  const setup = openPostgresDb({ connectionString: databaseUrl, maxConnections: 1 });
  try {
    await migrate(setup);
  } finally {
    await setup.close();
  }
  const version = await scalar<string>(admin, 'SELECT version() AS value');
  const read = () => settledCounters(admin, name);
  return {
    name: 'postgres',
    version,
    databaseUrl,
    async session(tally, concurrency) {
      const before = await read();
      const db = openPostgresDb({ connectionString: databaseUrl });
      const tallied = tallyDb(db, tally);
      // Open the connections a driver of `concurrency` uses before the clock starts.
      await attribute(WARMUP, () =>
        Promise.all(Array.from({ length: concurrency + 1 }, () => tallied.query('SELECT 1'))),
      );
      const store = tallyStore(createSqlRunStore(tallied), tally);
      return {
        store,
        async finish() {
          await store.close();
          const after = await read();
          // Each new connection's startup is a transaction of its own: not the store's doing.
          const sessions = after.sessions - before.sessions;
          return after.commits - before.commits - sessions - tally.of(WARMUP).commits;
        },
      };
    },
    async dispose() {
      try {
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await admin.close();
      }
    },
  };
}

/**
 * `xact_commit` and `sessions` (connections opened) of database `name` once every exited
 * backend's statistics arrived: reads until two reads 150 ms apart agree (at most about 5 s).
 */
async function settledCounters(admin: Db, name: string): Promise<{ commits: number; sessions: number }> {
  const readOnce = async () => {
    const rows = await admin.query<{ commits: string; sessions: string }>(
      'SELECT xact_commit AS commits, sessions FROM pg_stat_database WHERE datname = $1',
      [name],
    );
    const row = rows[0];
    if (row === undefined) throw new Error(`pg_stat_database has no row for ${name}`);
    return { commits: Number(row.commits), sessions: Number(row.sessions) };
  };
  let last = await readOnce();
  for (let i = 0; i < 33; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 150));
    const now = await readOnce();
    if (now.commits === last.commits && now.sessions === last.sessions) return now;
    last = now;
  }
  return last;
}

async function scalar<T>(db: Db, sql: string, params: readonly unknown[] = []): Promise<T> {
  const rows = await db.query<{ value: T }>(sql, params);
  const row = rows[0];
  if (row === undefined) throw new Error(`no row from ${sql}`);
  return row.value;
}
