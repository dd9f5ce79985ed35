/**
 * The address a request came from, for the login rate limit: the TCP peer's address, `socket` for
 * the home's Unix socket, `unknown` when the app runs without a server (`app.request` in tests).
 * `X-Forwarded-For` is not trusted: behind a proxy every client shares the proxy's address (see
 * docs/server.md).
 */
import type { Context } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import type { AppEnv, ServerBindings } from './app-env.js';

export function clientAddress(c: Context<AppEnv>): string {
  const env = c.env as (Partial<HttpBindings> & ServerBindings) | undefined;
  if (env?.viaSocket === true) return 'socket';
  return env?.incoming?.socket.remoteAddress ?? 'unknown';
}
