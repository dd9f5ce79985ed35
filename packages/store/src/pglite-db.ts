import { PGlite, type Transaction as PgliteTransaction } from '@electric-sql/pglite';
import type { Db, Queryable, Transaction } from './db.js';
import { storageError } from './storage-error.js';

/** Options of {@link openPgliteDb}. */
export interface PgliteDbOptions {
  /** Directory of the database files; undefined keeps the database in memory. */
  readonly dataDir?: string;
}

/**
 * Opens a PGlite database (in memory, or in `dataDir`, created when missing).
 *
 * PGlite is one single-user PostgreSQL backend: it runs one statement at a time and serialises
 * transactions itself (a transaction holds PGlite's mutex until it commits, and queries outside it
 * wait). Row locks (`FOR UPDATE`, `SKIP LOCKED`) and advisory locks therefore never contend here;
 * mutual exclusion between concurrent callers in this process comes from that mutex. Only one
 * process may open a data directory at a time.
 *
 * Opening is slow: measured on a 2-CPU machine, a new in-memory database takes 1.3–1.8 s (about
 * 3 s for the first one of a process, which loads the WASM module) plus 0.5–0.8 s for the
 * migrations; an existing data directory opens in 0.25–0.3 s. Open one per process, not per
 * request.
 */
export async function openPgliteDb(options: PgliteDbOptions = {}): Promise<Db> {
  try {
    const pglite =
      options.dataDir === undefined ? await PGlite.create() : await PGlite.create(options.dataDir);
    return createPgliteDb(pglite);
  } catch (error) {
    throw storageError(`open PGlite${options.dataDir === undefined ? '' : ` in ${options.dataDir}`}`, error);
  }
}

/** Wraps an open PGlite instance; closing the returned {@link Db} closes it. */
export function createPgliteDb(pglite: PGlite): Db {
  return {
    ...queryable(pglite),
    driver: 'pglite',
    async transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
      let failedInside = false;
      try {
        return await pglite.transaction(async (inner) => {
          let rollback = false;
          const result = await fn({
            ...queryable(inner),
            rollbackOnReturn: () => {
              rollback = true;
            },
          }).catch((error: unknown) => {
            failedInside = true;
            throw error;
          });
          if (rollback) await inner.rollback();
          return result;
        });
      } catch (error) {
        // Errors of the callback are already typed (or are bugs): only BEGIN/COMMIT failures are wrapped.
        throw failedInside ? error : storageError('run a transaction', error);
      }
    },
    async close(): Promise<void> {
      if (!pglite.closed) await pglite.close();
    },
  };
}

function queryable(target: PGlite | PgliteTransaction): Queryable {
  return {
    async query<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
      try {
        const result = await target.query<T>(sql, [...params]);
        return result.rows;
      } catch (error) {
        throw storageError('run a query', error);
      }
    },
    async exec(script: string): Promise<void> {
      try {
        await target.exec(script);
      } catch (error) {
        throw storageError('run a script', error);
      }
    },
  };
}
