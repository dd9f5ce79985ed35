import pg from 'pg';
import type { Db, ListenOptions, Queryable, Transaction } from './db.js';
import { PgListener } from './pg-listener.js';
import { statementName } from './statement-name.js';
import { storageError } from './storage-error.js';

/** Options of {@link openPostgresDb}. */
export interface PostgresDbOptions {
  /** `postgres://user@host:port/database`. */
  readonly connectionString: string;
  /** Most connections the pool opens (default 10). */
  readonly maxConnections?: number;
}

/**
 * Opens a pool of connections to PostgreSQL. Each transaction takes one connection for its whole
 * duration; statements outside a transaction take any free connection.
 */
export function openPostgresDb(options: PostgresDbOptions): Db {
  const pool = new pg.Pool({ connectionString: options.connectionString, max: options.maxConnections ?? 10 });
  // An idle client's connection may drop (server restart); the pool replaces it. Without a
  // listener the 'error' event would crash the process.
  pool.on('error', () => undefined);
  return createPostgresDb(pool);
}

/** The backend process id of a connection (`pg` sets it when the connection starts). */
function backendPid(client: pg.PoolClient): number | undefined {
  return (client as unknown as { processID?: number }).processID;
}

/**
 * Wraps a `pg` pool; closing the returned {@link Db} ends the pool and its listeners. `listen`
 * opens a dedicated connection with the pool's settings.
 */
export function createPostgresDb(pool: pg.Pool): Db {
  // The backends of this pool's connections: notifications they sent are this Db's own.
  const ownPids = new Set<number>();
  pool.on('connect', (client) => {
    const pid = backendPid(client);
    if (pid !== undefined) ownPids.add(pid);
  });
  pool.on('remove', (client) => {
    const pid = backendPid(client);
    if (pid !== undefined) ownPids.delete(pid);
  });
  const listeners = new Set<PgListener>();

  return {
    ...queryable(pool),
    driver: 'postgres',
    async listen(
      channel: string,
      listener: (payload: string) => void,
      listenOptions: ListenOptions = {},
    ): Promise<() => Promise<void>> {
      const pgListener = new PgListener({
        config: pool.options,
        channel,
        ignore: (pid) => ownPids.has(pid),
        onNotify: listener,
        onConnected:
          listenOptions.onConnected === undefined
            ? undefined
            : (client) => listenOptions.onConnected!(queryable(client)),
      });
      await pgListener.start();
      listeners.add(pgListener);
      return async () => {
        listeners.delete(pgListener);
        await pgListener.close();
      };
    },
    async transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (error) {
        throw storageError('connect to PostgreSQL', error);
      }
      let rollback = false;
      let failedInside = false;
      try {
        await client.query('BEGIN');
        const result = await fn({
          ...queryable(client),
          rollbackOnReturn: () => {
            rollback = true;
          },
        }).catch((error: unknown) => {
          failedInside = true;
          throw error;
        });
        await client.query(rollback ? 'ROLLBACK' : 'COMMIT');
        client.release();
        return result;
      } catch (error) {
        try {
          await client.query('ROLLBACK');
          client.release();
        } catch (rollbackError) {
          // The connection is broken: destroy it rather than return it to the pool.
          client.release(rollbackError instanceof Error ? rollbackError : true);
        }
        // Errors of the callback are already typed (or are bugs): only BEGIN/COMMIT failures are wrapped.
        throw failedInside ? error : storageError('run a transaction', error);
      }
    },
    async close(): Promise<void> {
      await Promise.all([...listeners].map((l) => l.close()));
      listeners.clear();
      if (!pool.ended) await pool.end();
    },
  };
}

function queryable(target: pg.Pool | pg.PoolClient | pg.Client): Queryable {
  return {
    async query<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
      try {
        const result = await target.query({ name: statementName(sql), text: sql, values: [...params] });
        return result.rows as T[];
      } catch (error) {
        throw storageError('run a query', error);
      }
    },
    async exec(script: string): Promise<void> {
      try {
        // Without parameters `pg` uses the simple query protocol, which accepts several statements.
        await target.query(script);
      } catch (error) {
        throw storageError('run a script', error);
      }
    },
  };
}
