/**
 * Where a command acts. Through a server when one is named (`--server URL`, `BATON_SERVER`), or
 * when a process holding the home serves its socket (named in `$BATON_HOME/server.json`: `baton
 * serve`, a driving `baton run`, `approve`…, or `baton worker`); otherwise on the database itself
 * (the home, or `--database-url`), as before.
 */
import { BatonError, ErrorCode } from '@baton/engine';
import { createClient, type BatonClient } from '@baton/client';
import { unixSocketFetch } from '@baton/client/node';
import type { OneRunHolder, RunReader } from '@baton/runtime';
import { readHomeServerFile } from '@baton/server/home';
import { homeDir, openHome, openHomeForReading } from '../home.js';
import { storedCredential } from './credentials.js';
import { createRemoteReader } from './remote-reader.js';
import { createSocketReader } from './socket-reader.js';

/** Flags of a command that may act through a server. */
export interface ServerFlags {
  readonly server?: string;
  readonly token?: string;
  readonly databaseUrl?: string;
  /** Who decides: sent to a server reached over the home's socket (the home's owner speaks). */
  readonly by?: string;
}

export interface RemoteTarget {
  readonly client: BatonClient;
  /**
   * Runs read through the server. Through the home's socket it outlives the socket: once the
   * holder has stopped, it reads the home itself (see `socket-reader.ts`).
   */
  readonly reader: RunReader;
  /** For messages: the server's URL, or the home and the server's pid. */
  readonly where: string;
  readonly via: 'socket' | 'url';
  /**
   * The holder of the home's socket when it executes only one run (a driving `baton run`): only
   * that run can go on through it.
   */
  readonly oneRunHolder?: OneRunHolder;
  /** True once the socket's holder has stopped and the reader reads the home itself. */
  holderGone(): boolean;
  /** Closes what reading needed (the home, once read directly). */
  close(): Promise<void>;
}

/** The server a command acts through, or undefined: act on the database directly. */
export async function remoteTarget(flags: ServerFlags): Promise<RemoteTarget | undefined> {
  const url = flags.server ?? (process.env.BATON_SERVER?.trim() || undefined);
  if (url !== undefined) return urlTarget(url, flags.token);
  if (flags.databaseUrl !== undefined || process.env.BATON_DATABASE_URL?.trim()) return undefined;
  const home = homeDir();
  const info = await readHomeServerFile(home);
  if (info === undefined) return undefined;
  const client = createClient({
    baseUrl: 'http://localhost',
    fetch: unixSocketFetch(info.socket),
    ...(flags.by === undefined ? {} : { headers: { 'x-baton-actor': flags.by } }),
  });
  const reader = createSocketReader(createRemoteReader(client), {
    lock: () => openHome(flags),
    copy: () => openHomeForReading(flags),
  });
  const command = info.command ?? 'baton serve';
  return {
    client,
    reader,
    where: `\`${command}\` holding ${home} (pid ${info.pid})`,
    via: 'socket',
    ...(info.onlyRun === undefined
      ? {}
      : {
          oneRunHolder: {
            home,
            command,
            pid: info.pid,
            ...(info.onlyRun === null ? {} : { runId: info.onlyRun }),
          },
        }),
    holderGone: () => reader.direct(),
    close: () => reader.close(),
  };
}

async function urlTarget(url: string, tokenFlag: string | undefined): Promise<RemoteTarget> {
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('not http(s)');
  } catch {
    throw new BatonError(
      ErrorCode.badRequest,
      `--server ${url}: not an http(s) URL, e.g. http://127.0.0.1:7080`,
    );
  }
  const token =
    tokenFlag ?? (process.env.BATON_TOKEN?.trim() || undefined) ?? (await storedCredential(url))?.token;
  if (token === undefined)
    throw new BatonError(
      ErrorCode.badRequest,
      `no token for ${url}: sign in with \`baton login --server ${url}\`, or pass --token (BATON_TOKEN)`,
    );
  const client = createClient({ baseUrl: url, token });
  return {
    client,
    reader: createRemoteReader(client),
    where: url,
    via: 'url',
    holderGone: () => false,
    close: () => Promise.resolve(),
  };
}
