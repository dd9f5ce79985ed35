import { existsSync } from 'node:fs';
import path from 'node:path';
import { PGlite, type PGliteOptions, type Transaction as PgliteTransaction } from '@electric-sql/pglite';
import type { Db, Queryable, Transaction } from './db.js';
import { statementName } from './statement-name.js';
import { storageError } from './storage-error.js';

/** Options of {@link openPgliteDb}. */
export interface PgliteDbOptions {
  /** Directory of the database files; undefined keeps the database in memory. */
  readonly dataDir?: string;
}

/**
 * PostgreSQL's page cache inside PGlite. Its default, 128 MB, is sized for a server with many
 * sessions; Baton's one session reads far less, and a file-backed database also has the
 * operating system's cache beneath it. 32 MB takes ~115 MB off an idle process (300 → 185 MB for
 * PGlite alone, measured on a reopened home; 16 MB saved only 15 MB more). See
 * docs/benchmarks.md, "Idle memory".
 */
const PGLITE_SHARED_BUFFERS = '32MB';

const pgliteOptions: PGliteOptions = { postgresqlconf: [`shared_buffers = ${PGLITE_SHARED_BUFFERS}`] };

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
 * migrations; an existing data directory opens in 0.25–0.3 s. A new data directory is created,
 * closed and opened again (see below), which adds a reopen to the first start of a home. Open one
 * per process, not per request.
 */
export async function openPgliteDb(options: PgliteDbOptions = {}): Promise<Db> {
  const { dataDir } = options;
  try {
    if (dataDir === undefined) return createPgliteDb(await PGlite.create(pgliteOptions));
    if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
      // Creating the database (initdb) grows PGlite's WebAssembly memory to ~650 MB, which it never
      // gives back: create, close, and open again at the size a running database needs.
      await (await PGlite.create(dataDir, pgliteOptions)).close();
    }
    return createPgliteDb(await PGlite.create(dataDir, pgliteOptions));
  } catch (error) {
    throw storageError(`open PGlite${dataDir === undefined ? '' : ` in ${dataDir}`}`, error);
  }
}

/** Wraps an open PGlite instance; closing the returned {@link Db} closes it. */
export function createPgliteDb(pglite: PGlite): Db {
  const prepared = new PreparedStatements(pglite);
  return {
    ...queryable(pglite, prepared, false),
    driver: 'pglite',
    async transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
      let failedInside = false;
      try {
        return await pglite.transaction(async (inner) => {
          let rollback = false;
          const result = await fn({
            ...queryable(inner, prepared, true),
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

function queryable(
  target: PGlite | PgliteTransaction,
  prepared: PreparedStatements,
  inTransaction: boolean,
): Queryable {
  return {
    async query<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
      try {
        return await prepared.query<T>(target, sql, params, inTransaction);
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

/**
 * The session's prepared statements. PGlite's `query` parses and plans a statement with
 * parameters on every call, which for the store's larger statements costs more than running them
 * (a step's write: 1.6 ms a call, 0.58 ms prepared; measured). So a statement is prepared once
 * (`PREPARE name AS …`, its parameter types inferred from the text) and run as `EXECUTE
 * name(values)`. The protocol cannot bind parameters to EXECUTE, so the values are written as SQL
 * literals: strings quoted (`standard_conforming_strings` is on: only `'` needs doubling), finite
 * numbers, booleans, NULL. A call with any other value (bytes, an array), a statement that cannot
 * be prepared, and — inside a transaction, where a failed PREPARE would abort it — a statement not
 * yet prepared run as a plain parameterised query.
 */
class PreparedStatements {
  private readonly prepared = new Set<string>();
  private readonly refused = new Set<string>();

  constructor(private readonly pglite: PGlite) {}

  async query<T>(
    target: PGlite | PgliteTransaction,
    sql: string,
    params: readonly unknown[],
    inTransaction: boolean,
  ): Promise<T[]> {
    const literals = params.length === 0 || this.refused.has(sql) ? undefined : sqlLiterals(params);
    if (literals !== undefined) {
      const name = statementName(sql);
      if (!this.prepared.has(name) && !inTransaction) {
        try {
          await this.pglite.exec(`PREPARE ${name} AS ${sql}`);
          this.prepared.add(name);
        } catch {
          this.refused.add(sql);
        }
      }
      if (this.prepared.has(name)) {
        return (await target.query<T>(`EXECUTE ${name}(${literals.join(', ')})`)).rows;
      }
    }
    return (await target.query<T>(sql, [...params])).rows;
  }
}

/** The values as SQL literals, or undefined when one has no literal form here. */
function sqlLiterals(params: readonly unknown[]): string[] | undefined {
  const literals: string[] = [];
  for (const value of params) {
    if (value === null || value === undefined) literals.push('NULL');
    else if (typeof value === 'string') literals.push(`'${value.replaceAll("'", "''")}'`);
    else if (typeof value === 'boolean') literals.push(String(value));
    else if (typeof value === 'number' && Number.isFinite(value)) literals.push(String(value));
    else return undefined;
  }
  return literals;
}
