/**
 * The {@link Authenticator} of local accounts. A request proves who it is by, in this order:
 *
 * 1. `Authorization: Bearer baton_…` — an API token, live (not revoked, not expired) and of an
 *    enabled member. Any other Authorization header is refused (401), not ignored.
 * 2. The `baton_session` cookie — a live session (not ended, not expired).
 * 3. The home's Unix socket — the local owner of tenant `local`, even before setup: the socket's
 *    file permissions vouch for it, and the CLI on the home must always work.
 *
 * Credentials that are sent are checked even over the socket: a wrong one is 401. Every request
 * asks the database (nothing positive is cached), so a revoked token or an ended session is refused
 * by every server at once. `last_used_at` / `last_seen_at` are written at most once a minute.
 */
import { parse } from 'hono/utils/cookie';
import type { Principal } from '../app-env.js';
import type { Authenticator, AuthRequest } from '../ports/authenticator.js';
import { ApiError, ApiErrorCode } from '../http-errors.js';
import { selectApiToken } from '../sql/select-api-token.js';
import { selectSession } from '../sql/select-session.js';
import { touchApiToken } from '../sql/touch-api-token.js';
import { touchSession } from '../sql/touch-session.js';
import type { AccountsContext } from './accounts-context.js';
import { LOCAL_TENANT } from '@baton/engine';
import { API_TOKEN_PATTERN, hashToken } from './secret-token.js';

/** The name of the session cookie. */
export const SESSION_COOKIE = 'baton_session';

/** Use times closer together than this are not written again. */
const TOUCH_EVERY_MS = 60_000;

const BEARER = /^Bearer +(\S+) *$/i;

export function createAuthenticator(ctx: AccountsContext): Authenticator {
  return {
    async authenticate(request: AuthRequest): Promise<Principal | undefined> {
      if (request.authorization !== undefined) return bearer(ctx, request.authorization);
      const session = sessionToken(request.cookie);
      if (session !== undefined) return sessionPrincipal(ctx, session);
      if (request.socket)
        return {
          tenantId: LOCAL_TENANT,
          via: 'socket',
          role: 'owner',
          actor: request.actor ?? ctx.localActor,
        };
      return undefined;
    },
  };
}

/** The session token of a Cookie header, if it has one. */
function sessionToken(cookie: string | undefined): string | undefined {
  if (cookie === undefined) return undefined;
  const value = parse(cookie, SESSION_COOKIE)[SESSION_COOKIE];
  return value === undefined || value === '' ? undefined : value;
}

async function bearer(ctx: AccountsContext, authorization: string): Promise<Principal | undefined> {
  const token = BEARER.exec(authorization)?.[1];
  if (token === undefined || !API_TOKEN_PATTERN.test(token))
    throw new ApiError(
      ApiErrorCode.unauthenticated,
      'the Authorization header must be "Bearer baton_…" with an API token (POST /api/tokens makes one)',
    );
  const now = ctx.clock.now();
  const row = await selectApiToken(ctx.db, hashToken(token), now);
  if (row === undefined) return undefined;
  if (row.lastUsedAt === null || now - row.lastUsedAt >= TOUCH_EVERY_MS)
    await touchApiToken(ctx.db, row.tenantId, row.tokenId, now);
  return {
    tenantId: row.tenantId,
    ...(row.userId === null ? {} : { userId: row.userId }),
    via: 'token',
    role: row.role,
    actor: row.actor,
    credentialId: row.tokenId,
  };
}

async function sessionPrincipal(ctx: AccountsContext, token: string): Promise<Principal | undefined> {
  const now = ctx.clock.now();
  const row = await selectSession(ctx.db, hashToken(token), now);
  if (row === undefined) return undefined;
  if (now - row.lastSeenAt >= TOUCH_EVERY_MS) await touchSession(ctx.db, row.tenantId, row.sessionId, now);
  return {
    tenantId: row.tenantId,
    userId: row.userId,
    via: 'session',
    role: row.role,
    actor: row.email,
    credentialId: row.sessionId,
  };
}
