/**
 * The database a server runs on: the embedded one in `$BATON_HOME` (PGlite; this process takes the
 * home's lock and is its only user), or a PostgreSQL shared by any number of servers and workers.
 * Either way it is migrated before anything answers.
 */
import path from 'node:path';
import { BatonError, ErrorCode } from '@baton/engine';
import { acquireHomeLock, RuntimeError, RuntimeErrorCode } from '@baton/runtime';
import { migrate, openPgliteDb, openPostgresDb, redactUrl, type Db } from '@baton/store';
import { removeStaleHomeServer } from './home-server-file.js';

export interface ServerDatabase {
  readonly db: Db;
  /** The home directory, or the database URL with its password hidden. */
  readonly where: string;
  /** True for the embedded home: this process owns it (and serves its socket). */
  readonly embedded: boolean;
  /** Releases the home's lock (embedded); the caller closes `db` first. */
  release(): Promise<void>;
}

/**
 * Opens and migrates the server's database. Fails with HOME_LOCKED when another process holds the
 * home, and with BAD_REQUEST naming the (redacted) URL when PostgreSQL refuses.
 */
export async function openServerDatabase(options: {
  readonly home: string;
  readonly databaseUrl?: string;
}): Promise<ServerDatabase> {
  if (options.databaseUrl !== undefined) {
    const where = redactUrl(options.databaseUrl);
    const db = openPostgresDb({ connectionString: options.databaseUrl });
    try {
      await migrate(db);
    } catch (error) {
      await db.close().catch(() => undefined);
      const reason = error instanceof Error ? error.message : String(error);
      throw new BatonError(
        ErrorCode.badRequest,
        `cannot use the database ${where}: ${reason} — check --database-url`,
        {
          cause: error,
        },
      );
    }
    return { db, where, embedded: false, release: () => Promise.resolve() };
  }
  const home = await openHomeDatabase(options.home);
  return { ...home, where: options.home, embedded: true };
}

/** An embedded home's database, open and migrated, and the home's lock this process holds. */
export interface HomeDatabase {
  readonly db: Db;
  /** Releases the home's lock; the caller closes `db` (and stops serving the socket) first. */
  release(): Promise<void>;
}

/**
 * Takes `home`'s lock, removes what a holder that died left (its server.json and socket), and
 * opens and migrates the embedded database: how `baton serve` and every `baton` command that
 * writes open a home. Fails with HOME_LOCKED (naming the holder's pid) when another process holds
 * it; the lock is released again when opening fails.
 */
export async function openHomeDatabase(home: string): Promise<HomeDatabase> {
  const lock = await acquireHomeLock(home);
  if (!lock.ok)
    throw new RuntimeError(RuntimeErrorCode.homeLocked, lock.message, {
      context: { ownerPid: lock.ownerPid },
    });
  try {
    await removeStaleHomeServer(home);
    const db = await openPgliteDb({ dataDir: path.join(home, 'db') });
    try {
      await migrate(db);
    } catch (error) {
      await db.close().catch(() => undefined);
      throw error;
    }
    return { db, release: () => lock.release() };
  } catch (error) {
    await lock.release();
    throw error;
  }
}
