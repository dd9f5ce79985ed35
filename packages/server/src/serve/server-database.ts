/**
 * The database a server runs on: the embedded one in `$BATON_HOME` (PGlite; this process takes the
 * home's lock and is its only user), or a PostgreSQL shared by any number of servers and workers.
 * Either way it is migrated before anything answers.
 */
import path from 'node:path';
import { BatonError, ErrorCode } from '@baton/engine';
import { acquireHomeLock, RuntimeError, RuntimeErrorCode } from '@baton/runtime';
import { migrate, openPgliteDb, openPostgresDb, redactUrl, type Db } from '@baton/store';

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
  const lock = await acquireHomeLock(options.home);
  if (!lock.ok)
    throw new RuntimeError(RuntimeErrorCode.homeLocked, lock.message, {
      context: { ownerPid: lock.ownerPid },
    });
  try {
    const db = await openPgliteDb({ dataDir: path.join(options.home, 'db') });
    try {
      await migrate(db);
    } catch (error) {
      await db.close().catch(() => undefined);
      throw error;
    }
    return { db, where: options.home, embedded: true, release: () => lock.release() };
  } catch (error) {
    await lock.release();
    throw error;
  }
}
