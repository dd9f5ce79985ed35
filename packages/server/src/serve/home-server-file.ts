/**
 * How other `baton` commands find the server that holds a home: `$BATON_HOME/server.json` names
 * its pid, its URL and its Unix socket. The socket is `$BATON_HOME/baton.sock`, or — when that path
 * is too long for a socket address (about 100 bytes) — a socket in a private directory of the
 * temporary directory. The file is written once the socket listens and removed when the server stops.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { processExists } from '@baton/runtime';

const FILE = 'server.json';
/** Linux allows 107 bytes in a socket address; keep a margin. */
const MAX_SOCKET_PATH = 100;

export interface HomeServerInfo {
  readonly pid: number;
  /** The HTTP URL (TCP), when the holder listens on one. */
  readonly url?: string;
  readonly socket: string;
  readonly startedAt: string;
}

/**
 * The socket a holder of `home` listens on: in the home, or — a path too long for a socket — in a
 * new private (0700) directory of the temporary directory, which nobody else can enter or plant.
 */
export async function homeSocketPath(home: string): Promise<string> {
  const inHome = path.join(path.resolve(home), 'baton.sock');
  if (Buffer.byteLength(inHome) <= MAX_SOCKET_PATH) return inHome;
  return path.join(await mkdtemp(path.join(tmpdir(), 'baton-')), 'baton.sock');
}

export async function writeHomeServerFile(home: string, info: HomeServerInfo): Promise<void> {
  await writeFile(path.join(home, FILE), `${JSON.stringify(info, null, 2)}\n`, { mode: 0o600 });
}

export async function removeHomeServerFile(home: string): Promise<void> {
  await rm(path.join(home, FILE), { force: true });
}

/**
 * The server holding `home`, or undefined when none does: no file, an unreadable one, or one whose
 * process is gone (a crash leaves the file behind).
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
  return info as HomeServerInfo;
}
