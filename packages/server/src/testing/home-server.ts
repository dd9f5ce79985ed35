/**
 * A real `baton serve` in this process (`startServer`) for tests: a fresh temporary home (the
 * embedded database) — or the PostgreSQL of `databaseUrl` — the server on a free loopback port and,
 * embedded, on the home's socket, where requests act as the home's owner. Without workers unless
 * told. For the app alone on a database of the test's own (a manual clock, extra routes), see
 * `startTestServer` (`test-server.ts`).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { startServer, type RunningServer, type StartServerOptions } from '../serve/start-server.js';
import { socketRequest, type SocketInit, type SocketResponse } from './socket-request.js';

export interface HomeServer {
  readonly server: RunningServer;
  readonly home: string;
  /** Over TCP, as a browser or script would. */
  http(method: string, pathname: string, init?: RequestInit): Promise<Response>;
  /** Over the home's socket: the home's owner. */
  socket(method: string, pathname: string, init?: SocketInit): Promise<SocketResponse>;
  /** Stops the server (running phases get a second) and removes the home. */
  close(): Promise<void>;
}

/** Starts `baton serve` on a new temporary home; `options` add to or replace the defaults. */
export async function startHomeServer(options: Partial<StartServerOptions> = {}): Promise<HomeServer> {
  // Short: the home holds the server's socket, whose path has a length limit.
  const home = await mkdtemp(path.join(tmpdir(), 'bsh-'));
  let server: RunningServer;
  try {
    server = await startServer({
      home,
      host: '127.0.0.1',
      port: 0,
      workers: false,
      log: pino({ level: 'silent' }),
      ...options,
    });
  } catch (error) {
    await rm(home, { recursive: true, force: true });
    throw error;
  }
  return {
    server,
    home,
    http: (method, pathname, init = {}) => fetch(`${server.url}${pathname}`, { ...init, method }),
    socket: (method, pathname, init = {}) => {
      if (server.socket === undefined) throw new Error('this server has no socket (PostgreSQL)');
      return socketRequest(server.socket, method, pathname, init);
    },
    async close() {
      await server.stop(1000);
      await rm(home, { recursive: true, force: true });
    },
  };
}
