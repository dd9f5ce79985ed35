/**
 * `POST /api/auth/setup` and `POST /api/auth/login` (public: they make a session), then
 * `POST /api/auth/logout` and `GET /api/auth/me` (behind the auth middleware). See docs/server.md,
 * "Accounts, sessions and tokens".
 */
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../app-env.js';
import { ApiError, ApiErrorCode, isApiError } from '../http-errors.js';
import { clientAddress } from '../client-address.js';
import type { AccountsContext } from '../accounts/accounts-context.js';
import type { LoginGuard } from '../accounts/login-guard.js';
import { clearSessionCookie, setSessionCookie } from '../accounts/session-cookie.js';
import { login, logout } from '../accounts/sessions.js';
import { completeSetup } from '../accounts/setup.js';
import { selectTenant } from '../sql/select-tenant.js';
import { errorResponses } from '../schemas/error.js';
import { secured } from '../schemas/security.js';
import { loginBodySchema, meSchema, setupBodySchema, signedInSchema } from '../schemas/account.js';

export const setupRoute = createRoute({
  method: 'post',
  path: '/api/auth/setup',
  tags: ['auth'],
  summary: 'Create the owner account with the setup token, and sign in',
  request: { body: { required: true, content: { 'application/json': { schema: setupBodySchema } } } },
  responses: {
    201: {
      description: 'The owner exists and is signed in (cookie `baton_session`)',
      content: { 'application/json': { schema: signedInSchema } },
    },
    ...errorResponses(403, 409, 422, 429),
  },
});

export const loginRoute = createRoute({
  method: 'post',
  path: '/api/auth/login',
  tags: ['auth'],
  summary: 'Sign in with an email and a password',
  request: { body: { required: true, content: { 'application/json': { schema: loginBodySchema } } } },
  responses: {
    200: {
      description: 'Signed in (cookie `baton_session`)',
      content: { 'application/json': { schema: signedInSchema } },
    },
    ...errorResponses(401, 422, 429),
  },
});

export const logoutRoute = createRoute({
  method: 'post',
  path: '/api/auth/logout',
  tags: ['auth'],
  summary: 'End this session (every server refuses it from then on)',
  security: [{ session: [] }],
  responses: { 204: { description: 'Signed out' }, ...errorResponses(401, 409) },
});

export const meRoute = createRoute({
  method: 'get',
  path: '/api/auth/me',
  tags: ['auth'],
  summary: 'Who this request acts as',
  security: secured,
  responses: {
    200: { description: 'The principal', content: { 'application/json': { schema: meSchema } } },
    ...errorResponses(401),
  },
});

/**
 * Begins an attempt: refuses with 429 and `Retry-After` when the guard says so, else the attempt
 * counts as failed until the caller says it succeeded or did not count.
 */
function begin(c: Context<AppEnv>, loginGuard: LoginGuard, email: string | undefined): void {
  const verdict = loginGuard.begin(clientAddress(c), email);
  if (verdict.allowed) return;
  const seconds = Math.ceil(verdict.retryAfterMs / 1000);
  c.header('Retry-After', String(seconds));
  throw new ApiError(
    ApiErrorCode.rateLimited,
    `too many failed attempts: try again in ${seconds < 120 ? `${seconds} seconds` : `${Math.ceil(seconds / 60)} minutes`}`,
  );
}

/** Setup and login: mounted before the auth middleware. */
export function publicAuthRoutes(ctx: AccountsContext, loginGuard: LoginGuard): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  app.openapi(setupRoute, async (c) => {
    const input = c.req.valid('json');
    const address = clientAddress(c);
    begin(c, loginGuard, undefined);
    const signedIn = await completeSetup(ctx, input).catch((error: unknown) => {
      if (!isApiError(error, ApiErrorCode.forbidden)) loginGuard.release(address, undefined);
      throw error;
    });
    loginGuard.release(address, undefined);
    setSessionCookie(ctx, c, signedIn.session);
    return c.json({ user: signedIn.user, tenant: signedIn.tenant }, 201);
  });
  app.openapi(loginRoute, async (c) => {
    const { email, password } = c.req.valid('json');
    const address = clientAddress(c);
    begin(c, loginGuard, email);
    const signedIn = await login(ctx, email, password).catch((error: unknown) => {
      loginGuard.release(address, email);
      throw error;
    });
    if (signedIn === undefined)
      throw new ApiError(ApiErrorCode.unauthenticated, 'the email or the password is wrong');
    loginGuard.succeed(address, email);
    setSessionCookie(ctx, c, signedIn.session);
    return c.json({ user: signedIn.user, tenant: signedIn.tenant }, 200);
  });
  return app;
}

/** Logout and me: mounted after the auth middleware. */
export function authRoutes(ctx: AccountsContext): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  app.openapi(logoutRoute, async (c) => {
    await logout(ctx, c.get('principal'));
    clearSessionCookie(ctx, c);
    return c.body(null, 204);
  });
  app.openapi(meRoute, async (c) => {
    const principal = c.get('principal');
    const tenant = await selectTenant(ctx.db, principal.tenantId);
    return c.json(
      {
        user:
          principal.userId === undefined || principal.via === 'socket'
            ? null
            : { id: principal.userId, email: principal.actor },
        tenant: { id: principal.tenantId, name: tenant?.name ?? principal.tenantId },
        role: principal.role,
        via: principal.via,
      },
      200,
    );
  });
  return app;
}
