/**
 * Puts an app on a TCP port or on a Unix socket (`@hono/node-server`). Requests over the socket
 * carry `viaSocket: true` in their bindings: the socket file's permissions (0600, in the home)
 * are what authenticates them.
 */
import { chmod, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer, type HttpBindings } from '@hono/node-server';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from './app-env.js';

export interface Listener {
  /** `http://host:port` for TCP; the socket path for a socket. */
  readonly url: string;
  readonly server: Server;
  /** Stops accepting, closes idle connections, resolves when the open ones ended. */
  close(): Promise<void>;
}

export type ListenTarget = { readonly port: number; readonly host: string } | { readonly socketPath: string };

export async function listen(app: OpenAPIHono<AppEnv>, target: ListenTarget): Promise<Listener> {
  const viaSocket = 'socketPath' in target;
  const server = createAdaptorServer({
    fetch: (request, env) => app.fetch(request, { ...(env as HttpBindings), viaSocket }),
  }) as Server;
  if (viaSocket) await rm(target.socketPath, { force: true });
  // A socket is created 0600 (umask 077 while it binds): nobody else may connect, not even briefly.
  const umask = viaSocket ? process.umask(0o077) : undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      if (viaSocket) server.listen(target.socketPath, () => resolve());
      else server.listen(target.port, target.host, () => resolve());
    });
  } finally {
    if (umask !== undefined) process.umask(umask);
  }
  if (viaSocket) await chmod(target.socketPath, 0o600);
  const address = server.address();
  const url = viaSocket
    ? target.socketPath
    : `http://${hostForUrl(target.host)}:${(address as AddressInfo).port}`;
  return {
    url,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}

function hostForUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
