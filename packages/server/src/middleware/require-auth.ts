/**
 * Every route mounted after this one needs a principal: a session cookie, a bearer token, or the
 * home's Unix socket. Without one: 401 `UNAUTHENTICATED`.
 */
import type { MiddlewareHandler } from 'hono';
import type { AppEnv, ServerBindings } from '../app-env.js';
import type { Authenticator } from '../ports/authenticator.js';
import { ApiError, ApiErrorCode } from '../http-errors.js';

/** A name recorded as `by`: printable, no control characters, at most 100 characters. */
const ACTOR = /^[^\p{Cc}]{1,100}$/u;

export function requireAuth(authenticator: Authenticator): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const socket = (c.env as ServerBindings | undefined)?.viaSocket === true;
    const actor = socket ? c.req.header('x-baton-actor') : undefined;
    const principal = await authenticator.authenticate({
      cookie: c.req.header('cookie'),
      authorization: c.req.header('authorization'),
      socket,
      ...(actor !== undefined && ACTOR.test(actor) ? { actor } : {}),
    });
    if (principal === undefined)
      throw new ApiError(
        ApiErrorCode.unauthenticated,
        'sign in (POST /api/auth/login) or send a token (Authorization: Bearer …; POST /api/tokens makes one)',
      );
    c.set('principal', principal);
    await next();
  };
}
