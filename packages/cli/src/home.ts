import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BatonError, ErrorCode, isBatonError, type RunStore } from '@baton/engine';
import { acquireHomeLock } from '@baton/runtime';
import { openPgliteStore } from '@baton/store';

/** An opened `$BATON_HOME`: this process owns it until `close()`. */
export interface Home {
  readonly dir: string;
  readonly store: RunStore;
  close(): Promise<void>;
}

/** `$BATON_HOME`, default `./.baton`. */
function homeDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.BATON_HOME ?? '.baton');
}

/**
 * Takes the exclusive lock on `$BATON_HOME` and opens its embedded database. Fails with
 * HOME_LOCKED (exit 2) naming the owner's pid when another `baton` process owns it.
 */
export async function openHome(dir: string = homeDir()): Promise<Home> {
  const lock = await acquireHomeLock(dir);
  if (!lock.ok)
    throw new BatonError(ErrorCode.homeLocked, lock.message, { context: { ownerPid: lock.ownerPid } });
  try {
    const store = await openPgliteStore({ dataDir: path.join(dir, 'db') });
    return homeOf(dir, store, () => lock.release());
  } catch (error) {
    await lock.release();
    throw error;
  }
}

/**
 * Opens `$BATON_HOME` for a command that only reads. When another process owns the home, reads a
 * private copy of its database instead (the owner's files are never opened), so `baton runs` and
 * `baton show` work while a run is being driven; if the copy cannot be opened, fails with
 * HOME_LOCKED like a writer would.
 */
export async function openHomeForReading(dir: string = homeDir()): Promise<Home> {
  try {
    return await openHome(dir);
  } catch (error) {
    if (!isBatonError(error, ErrorCode.homeLocked)) throw error;
    const copy = await mkdtemp(path.join(tmpdir(), 'baton-read-'));
    try {
      await cp(path.join(dir, 'db'), path.join(copy, 'db'), { recursive: true });
      const store = await openPgliteStore({ dataDir: path.join(copy, 'db') });
      return homeOf(dir, store, () => rm(copy, { recursive: true, force: true }));
    } catch {
      await rm(copy, { recursive: true, force: true });
      throw error;
    }
  }
}

/** A home whose `close()` closes the store, then runs `cleanup` (even when closing failed). */
function homeOf(dir: string, store: RunStore, cleanup: () => Promise<void>): Home {
  return {
    dir,
    store,
    async close() {
      try {
        await store.close();
      } finally {
        await cleanup();
      }
    },
  };
}
