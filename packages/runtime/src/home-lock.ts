import { randomUUID } from 'node:crypto';
import { readFileSync, statSync, unlinkSync } from 'node:fs';
import { link, mkdir, open, rename, stat, unlink, writeFile } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import { processExists } from './process-identity.js';

/** Name of the lock file inside `$BATON_HOME`. */
export const homeLockFile = 'baton.lock';

/** The outcome of {@link acquireHomeLock}: the lock, or who holds it. */
export type HomeLock =
  | {
      readonly ok: true;
      /** The lock file (`<home>/baton.lock`). */
      readonly lockPath: string;
      /** Removes the lock file if it is still this lock's; idempotent. */
      release(): Promise<void>;
    }
  | {
      readonly ok: false;
      /** The pid written in the lock file by the process that holds it. */
      readonly ownerPid: number;
      /** Tells the user who holds the home and what to do. */
      readonly message: string;
    };

/** Lock files held by this process (by path), to tell our own lock from a stale one with our pid. */
const heldHere = new Set<string>();
/** Acquisitions in this process run one at a time per lock file. */
const queues = new Map<string, Promise<unknown>>();

/**
 * Makes this process the only one using `home` (`$BATON_HOME`): PGlite corrupts its data directory
 * when two processes write it. Creates `home` if needed, then `home/baton.lock` atomically (a
 * temporary file holding our pid, hard-linked into place: the link fails when the lock exists).
 *
 * A lock whose owner is gone (its pid is not alive, or the file is unreadable) is stale and is taken
 * over (`takeOver`): under a guard file, and only while it is still the same file (same inode and
 * pid), it is replaced atomically — so of several processes taking over one stale lock, one wins. The lock is removed by `release()` and, as a
 * safety net, when the process exits normally; after a crash the next owner finds it stale.
 *
 * Resolves `{ ok: false, ownerPid, message }` when a live process holds the lock (this process too,
 * if it already holds it). Rejects only when the file system fails (permissions, disk full).
 */
export function acquireHomeLock(home: string): Promise<HomeLock> {
  const lockPath = join(resolve(home), homeLockFile);
  const previous = queues.get(lockPath) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(() => acquire(home, lockPath));
  queues.set(lockPath, next);
  void next
    .finally(() => {
      if (queues.get(lockPath) === next) queues.delete(lockPath);
    })
    .catch(() => undefined);
  return next;
}

const maxRounds = 20;

async function acquire(home: string, lockPath: string): Promise<HomeLock> {
  await mkdir(resolve(home), { recursive: true });
  const candidate = `${lockPath}.${process.pid}.${randomUUID()}.tmp`;
  await writeFile(candidate, `${process.pid}\n`, { flag: 'wx' });
  try {
    // The candidate becomes the lock (and the takeover guard) by hard link or rename: same file.
    const ours: LockIdentity = { pid: process.pid, ino: (await stat(candidate)).ino };
    let ownerPid = 0;
    for (let round = 0; round < maxRounds; round++) {
      try {
        await link(candidate, lockPath);
      } catch (error) {
        if (errorCode(error) !== 'EEXIST') throw error;
        const owner = await readOwner(lockPath);
        if (owner === undefined) continue; // Removed meanwhile: try again.
        ownerPid = owner.pid;
        if (isOwnerAlive(owner.pid, lockPath)) return lockedBy(home, owner.pid);
        if (await takeOver(lockPath, owner, candidate, ours)) return holdLock(lockPath, ours);
        continue;
      }
      return holdLock(lockPath, ours);
    }
    return lockedBy(home, ownerPid);
  } finally {
    await unlink(candidate).catch(() => undefined);
  }
}

function holdLock(lockPath: string, identity: LockIdentity): HomeLock {
  heldHere.add(lockPath);
  let released = false;
  const onExit = () => {
    try {
      const current = { pid: parsePid(readFileSync(lockPath, 'utf8')), ino: statSync(lockPath).ino };
      if (sameLock(current, identity)) unlinkSync(lockPath);
    } catch {
      // Already gone.
    }
  };
  process.on('exit', onExit);
  return {
    ok: true,
    lockPath,
    async release() {
      if (released) return;
      released = true;
      process.off('exit', onExit);
      heldHere.delete(lockPath);
      const current = await readOwner(lockPath).catch(() => undefined);
      if (current !== undefined && sameLock(current, identity)) await unlink(lockPath).catch(() => undefined);
    },
  };
}

/**
 * Which lock file this is: inode numbers are reused once a file is deleted, so the pid inside is
 * compared too.
 */
interface LockIdentity {
  readonly pid: number;
  readonly ino: number;
}

function sameLock(a: LockIdentity, b: LockIdentity): boolean {
  return a.pid === b.pid && a.ino === b.ino;
}

/** The pid a lock file holds; 0 when it holds none (a corrupt file). */
function parsePid(text: string): number {
  return /^\d+$/.test(text.trim()) ? Number(text.trim()) : 0;
}

async function readOwner(lockPath: string): Promise<LockIdentity | undefined> {
  let handle: FileHandle;
  try {
    handle = await open(lockPath, 'r');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw error;
  }
  try {
    // Content and inode from one open file: the path may be replaced at any moment.
    const [text, info] = await Promise.all([handle.readFile('utf8'), handle.stat()]);
    return { pid: parsePid(text), ino: info.ino };
  } finally {
    await handle.close();
  }
}

/** Whether the process that wrote the lock still runs. A pid that is not a pid (corrupt file) is dead. */
function isOwnerAlive(pid: number, lockPath: string): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  // A lock with our own pid is ours only if we hold it; otherwise an earlier process had our pid.
  if (pid === process.pid) return heldHere.has(lockPath);
  return processExists(pid);
}

/**
 * Replaces the stale lock `stale` with `candidate` (our pid), or returns false when another process
 * is taking it over or did. Takeovers are serialised by a guard file (`baton.lock.takeover`, linked
 * exclusively like the lock): under it the lock is checked to be still the stale one and atomically
 * replaced (`rename` over it), so of several processes taking over one stale lock exactly one wins
 * and the lock file never disappears meanwhile. A guard left by a process that died holding it is
 * removed.
 */
async function takeOver(
  lockPath: string,
  stale: LockIdentity,
  candidate: string,
  ours: LockIdentity,
): Promise<boolean> {
  const guard = `${lockPath}.takeover`;
  try {
    await link(candidate, guard);
  } catch (error) {
    if (errorCode(error) !== 'EEXIST') throw error;
    const holder = await readOwner(guard);
    if (holder !== undefined && !isOwnerAlive(holder.pid, guard)) await removeIfSame(guard, holder);
    await new Promise((r) => setTimeout(r, 5 + Math.random() * 20));
    return false;
  }
  try {
    const current = await readOwner(lockPath);
    if (current === undefined || !sameLock(current, stale)) return false;
    await rename(candidate, lockPath);
    return true;
  } finally {
    const now = await readOwner(guard).catch(() => undefined);
    if (now !== undefined && sameLock(now, ours)) await unlink(guard).catch(() => undefined);
  }
}

/**
 * Removes `path` if it is still the file `expected` (a dead process's guard). It is renamed aside
 * first (atomic); if what was moved is another file, it is linked back.
 */
async function removeIfSame(path: string, expected: LockIdentity): Promise<void> {
  const aside = `${path}.${process.pid}.${randomUUID()}.stale`;
  try {
    await rename(path, aside);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return;
    throw error;
  }
  try {
    const moved = await readOwner(aside);
    if (moved !== undefined && !sameLock(moved, expected)) await link(aside, path).catch(() => undefined);
  } finally {
    await unlink(aside).catch(() => undefined);
  }
}

function lockedBy(home: string, ownerPid: number): HomeLock {
  return {
    ok: false,
    ownerPid,
    message: `${displayPath(resolve(home))} is in use by another baton process (pid ${ownerPid}); wait for it to finish or stop it`,
  };
}

/** `~/…` for paths inside the user's home directory. */
export function displayPath(path: string): string {
  const userHome = homedir();
  if (path === userHome) return '~';
  return path.startsWith(userHome + sep) ? `~${path.slice(userHome.length)}` : path;
}

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined;
}
