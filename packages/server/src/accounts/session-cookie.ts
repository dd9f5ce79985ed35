/**
 * The `baton_session` cookie: HttpOnly (no script reads it), SameSite=Lax (not sent on other
 * sites' subrequests; the same-origin check refuses the rest), Path=/, Max-Age = the session's
 * lifetime, and Secure when the request came over https (or when `secureCookies` says so).
 */
import type { Context } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import type { AppEnv } from '../app-env.js';
import type { AccountsContext } from './accounts-context.js';
import { SESSION_COOKIE } from './authenticator.js';
import type { NewSessionToken } from './sessions.js';

/** Browsers cap a cookie's Max-Age at 400 days. */
const MAX_AGE_LIMIT_S = 400 * 24 * 60 * 60;

function secure(ctx: AccountsContext, c: Context<AppEnv>): boolean {
  return ctx.secureCookies ?? new URL(c.req.url).protocol === 'https:';
}

/** Sets the cookie of a session that just started (so its Max-Age is the session's lifetime). */
export function setSessionCookie(ctx: AccountsContext, c: Context<AppEnv>, session: NewSessionToken): void {
  const maxAge = Math.min(MAX_AGE_LIMIT_S, Math.floor(ctx.sessionLifetimeMs / 1000));
  setCookie(c, SESSION_COOKIE, session.token, {
    httpOnly: true,
    sameSite: 'Lax',
    path: '/',
    secure: secure(ctx, c),
    maxAge,
  });
}

export function clearSessionCookie(ctx: AccountsContext, c: Context<AppEnv>): void {
  deleteCookie(c, SESSION_COOKIE, { httpOnly: true, sameSite: 'Lax', path: '/', secure: secure(ctx, c) });
}
