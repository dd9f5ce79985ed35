/**
 * How other `baton` commands find the process that holds a home and serves the API on its socket
 * (`baton serve`, or a driving `baton run`, `baton approve`…, or `baton worker`):
 * `$BATON_HOME/server.json` names its pid, its Unix socket, the command, its TCP URL when it has
 * one, and the one run it executes when it executes only one. The socket is `$BATON_HOME/baton.sock`,
 * or — when that path is too long for a socket address (about 100 bytes) — a socket in a private
 * directory of the temporary directory. The file is written (atomically) once the socket listens
 * and removed before the holder stops listening and releases the home's lock.
 */
import { readFileSync, rmSync } from 'node:fs';
import { mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { homeLockFile, processExists } from '@baton/runtime';

const FILE = 'server.json';
const SOCKET = 'baton.sock';
/** Linux allows 107 bytes in a socket address; keep a margin. */
const MAX_SOCKET_PATH = 100;

export interface HomeServerInfo {
  readonly pid: number;
  /** The HTTP URL (TCP), when the holder listens on one (`baton serve`). */
  readonly url?: string;
  readonly socket: string;
  readonly startedAt: string;
  /** The holding command, for messages: `baton serve`, `baton run`, `baton worker`… */
  readonly command?: string;
  /**
   * Present when the holder executes only one run (a driving `baton run`, `baton approve`…): that
   * run's id, or null while it has not created it yet. Absent: the holder executes every run.
   */
  readonly onlyRun?: string | null;
}

/**
 * The socket a holder of `home` listens on: in the home, or — a path too long for a socket — in a
 * new private (0700) directory of the temporary directory, which nobody else can enter or plant.
 */
export async function homeSocketPath(home: string): Promise<string> {
  const inHome = path.join(path.resolve(home), SOCKET);
  if (Buffer.byteLength(inHome) <= MAX_SOCKET_PATH) return inHome;
  return path.join(await mkdtemp(path.join(tmpdir(), 'baton-')), SOCKET);
}

/** Writes server.json at once (a new file renamed over the old): a reader never sees half of it. */
export async function writeHomeServerFile(home: string, info: HomeServerInfo): Promise<void> {
  const file = path.join(home, FILE);
  const partial = `${file}.${process.pid}.tmp`;
  await writeFile(partial, `${JSON.stringify(info, null, 2)}\n`, { mode: 0o600 });
  await rename(partial, file);
}

export async function removeHomeServerFile(home: string): Promise<void> {
  await rm(path.join(home, FILE), { force: true });
}

/**
 * At exit (a safety net for a holder that exits without stopping, e.g. a second Ctrl-C): removes
 * server.json if this process wrote it, synchronously.
 */
export function removeOwnHomeServerFileSync(home: string): void {
  const file = path.join(home, FILE);
  try {
    const info = JSON.parse(readFileSync(file, 'utf8')) as Partial<HomeServerInfo>;
    if (info.pid === process.pid) rmSync(file, { force: true });
  } catch {
    // Gone, or not ours to judge.
  }
}

/**
 * Removes what a holder that died left in the home — server.json and the socket in the home —
 * once this process holds the home's lock (so nobody else serves it).
 */
export async function removeStaleHomeServer(home: string): Promise<void> {
  await rm(path.join(home, FILE), { force: true });
  await rm(path.join(path.resolve(home), SOCKET), { force: true });
}

/**
 * The process serving `home`'s socket, or undefined when none does: no file, an unreadable one, or
 * a stale one — its process is gone (a crash leaves the file behind), or it does not hold the
 * home's lock (every holder that writes the file holds the lock until it has removed the file).
 */
export async function readHomeServerFile(home: string): Promise<HomeServerInfo | undefined> {
  let info: Partial<HomeServerInfo>;
  try {
    info = JSON.parse(await readFile(path.join(home, FILE), 'utf8')) as Partial<HomeServerInfo>;
  } catch {
    return undefined;
  }
  if (typeof info.pid !== 'number' || typeof info.socket !== 'string') return undefined;
  if (!processExists(info.pid)) return undefined;
  const lockPid = await readFile(path.join(home, homeLockFile), 'utf8').then(
    (text) => Number(text.trim()),
    () => undefined,
  );
  if (lockPid !== info.pid) return undefined;
  return info as HomeServerInfo;
}
