/**
 * Local accounts on the database, in one bundle for the server's bootstrap: the authenticator, the
 * setup link's token, and the routes. See docs/server.md, "Accounts, sessions and tokens".
 *
 * `serve/compose-services.ts` wires it:
 *
 * ```ts
 * const accounts = createAccounts(db);
 * const setup = await accounts.ensureSetupToken({ preset: process.env.BATON_SETUP_TOKEN });
 * const app = createApp({
 *   log, ready, authenticator: accounts.authenticator,
 *   publicRoutes: [accounts.publicRoutes], routes: [accounts.routes, …],
 *   idempotency: createIdempotency(db),
 * });
 * // while there is no owner: print setupUrl(listener.url, setup.token)
 * ```
 */
import type { Db } from '@baton/store';
import type { RouteModule } from '../app.js';
import type { Authenticator } from '../ports/authenticator.js';
import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env.js';
import { authRoutes, publicAuthRoutes } from '../routes/auth.js';
import { setupPageRoutes } from '../routes/setup-page.js';
import { tokenRoutes } from '../routes/tokens.js';
import { accountsContext, type AccountsOptions } from './accounts-context.js';
import { createAuthenticator } from './authenticator.js';
import { createLoginGuard } from './login-guard.js';
import { ensureSetupToken, type SetupTokenOptions } from './setup.js';

export interface Accounts {
  /** Resolves a request's session cookie, API token or socket to a principal. */
  readonly authenticator: Authenticator;
  /**
   * While the local tenant has no owner: records a one-time setup token and returns it, for the
   * link `setupUrl(base, token)`; undefined once the owner exists. `preset` (from
   * `BATON_SETUP_TOKEN`) is used instead of a random token; `INVALID_REQUEST` when it has fewer than
   * 16 printable characters or has spaces.
   */
  ensureSetupToken(options?: SetupTokenOptions): Promise<{ token: string } | undefined>;
  /** `GET /setup`, `POST /api/auth/setup`, `POST /api/auth/login`: mount before the auth middleware. */
  readonly publicRoutes: RouteModule;
  /** `POST /api/auth/logout`, `GET /api/auth/me`, `/api/tokens`: mount after it. */
  readonly routes: RouteModule;
}

export function createAccounts(db: Db, options: AccountsOptions = {}): Accounts {
  const ctx = accountsContext(db, options);
  const loginGuard = createLoginGuard(ctx.loginLimits, ctx.clock);
  const publicRoutes = new OpenAPIHono<AppEnv>();
  publicRoutes.route('/', setupPageRoutes());
  publicRoutes.route('/', publicAuthRoutes(ctx, loginGuard));
  const routes = new OpenAPIHono<AppEnv>();
  routes.route('/', authRoutes(ctx));
  routes.route('/', tokenRoutes(ctx));
  return {
    authenticator: createAuthenticator(ctx),
    ensureSetupToken: (setupOptions) => ensureSetupToken(ctx, setupOptions),
    publicRoutes,
    routes,
  };
}

/** The setup link to print: `<base>/setup?token=<token>` (`base` as `http://host:port`). */
export function setupUrl(base: string, token: string): string {
  const url = new URL('/setup', base);
  url.searchParams.set('token', token);
  return url.toString();
}
