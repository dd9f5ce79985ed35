/**
 * A real Baton HTTP server for tests: `createApp` with local accounts and idempotency keys on a
 * given database, listening on 127.0.0.1 on a free port. Reach it with `fetch(server.url + path)`.
 * Helpers make the owner (through the real setup route) and API tokens. For the whole of
 * `baton serve` (workers, the home's socket, the expiry sweep), see `startHomeServer`.
 */
import type { Clock } from '@baton/engine';
import type { Db } from '@baton/store';
import pino, { type Logger } from 'pino';
import { createApp, type RouteModule } from '../app.js';
import { createAccounts, type Accounts } from '../accounts/create-accounts.js';
import type { AccountsOptions } from '../accounts/accounts-context.js';
import { createIdempotency, type IdempotencyOptions } from '../middleware/idempotency.js';
import { listen } from '../listen.js';

/** A clock that moves only when told to. */
export interface ManualClock extends Clock {
  advance(ms: number): void;
}

export function manualClock(start = Date.UTC(2026, 0, 1)): ManualClock {
  let now = start;
  return {
    now: () => now,
    advance: (ms) => {
      now += ms;
    },
  };
}

export interface TestServerOptions {
  /** The server's log (default: silent). */
  readonly log?: Logger;
  /** Options of the accounts (a `clock` here drives the idempotency keys too). */
  readonly accounts?: AccountsOptions;
  readonly idempotency?: IdempotencyOptions;
  /** More protected route modules, mounted after the accounts' routes. */
  readonly routes?: readonly RouteModule[];
  /** More public route modules. */
  readonly publicRoutes?: readonly RouteModule[];
  /** Origins other than its own that may call it (CORS). */
  readonly allowedOrigins?: readonly string[];
  /** Whether to record a setup token at start (default true; `preset` like `BATON_SETUP_TOKEN`). */
  readonly setup?: boolean | { readonly preset: string };
}

export interface TestServer {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  readonly db: Db;
  readonly accounts: Accounts;
  /** The setup token recorded at start; undefined when the owner existed (or `setup: false`). */
  readonly setupToken: string | undefined;
  /** Stops listening (the database stays open: its owner closes it). */
  close(): Promise<void>;
}

export async function startTestServer(db: Db, options: TestServerOptions = {}): Promise<TestServer> {
  const accounts = createAccounts(db, options.accounts);
  const clock = options.accounts?.clock;
  const app = createApp({
    log: options.log ?? pino({ level: 'silent' }),
    authenticator: accounts.authenticator,
    ready: async () => (await db.query('SELECT 1')).length === 1,
    publicRoutes: [accounts.publicRoutes, ...(options.publicRoutes ?? [])],
    routes: [accounts.routes, ...(options.routes ?? [])],
    idempotency: createIdempotency(db, { ...(clock === undefined ? {} : { clock }), ...options.idempotency }),
    ...(options.allowedOrigins === undefined ? {} : { allowedOrigins: options.allowedOrigins }),
  });
  const setup = options.setup ?? true;
  const token =
    setup === false
      ? undefined
      : await accounts.ensureSetupToken(setup === true ? {} : { preset: setup.preset });
  const listener = await listen(app, { port: 0, host: '127.0.0.1' });
  return { url: listener.url, db, accounts, setupToken: token?.token, close: () => listener.close() };
}
