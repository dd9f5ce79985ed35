/**
 * A real `baton serve` in this process for API tests: a fresh home (the embedded database) or a
 * fresh PostgreSQL database, the server on a free loopback port and — embedded — on the home's
 * socket, where requests act as the home's owner.
 */
import { request as httpRequest } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { startServer, type RunningServer, type StartServerOptions } from '../src/index.js';

export interface TestServer {
  readonly server: RunningServer;
  readonly home: string;
  /** Over TCP, as a browser or script would. */
  http(method: string, pathname: string, init?: RequestInit): Promise<Response>;
  /** Over the home's socket: the home's owner. */
  socket(method: string, pathname: string, init?: SocketInit): Promise<SocketResponse>;
  close(): Promise<void>;
}

interface SocketInit {
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

export interface SocketResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
}

export async function startTestServer(options: Partial<StartServerOptions> = {}): Promise<TestServer> {
  const home = await mkdtemp(path.join(tmpdir(), 'baton-server-'));
  const server = await startServer({
    home,
    host: '127.0.0.1',
    port: 0,
    workers: false,
    log: pino({ level: 'silent' }),
    ...options,
  });
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

function socketRequest(socketPath: string, method: string, pathname: string, init: SocketInit) {
  return new Promise<SocketResponse>((resolve, reject) => {
    const req = httpRequest({ socketPath, method, path: pathname, headers: init.headers ?? {} }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (init.body !== undefined) req.write(init.body);
    req.end();
  });
}
