/**
 * What the middleware chain puts on a request's context for the handlers after it: the request id,
 * its logger, and — past the auth middleware — who is asking.
 */
import type { Logger } from 'pino';

/** Who a request acts for. Every query a handler makes is scoped to `tenantId`. */
export interface Principal {
  readonly tenantId: string;
  /** The user, or undefined for the home's own socket (the local owner) before any account exists. */
  readonly userId?: string;
  /** How the request proved who it is. */
  readonly via: 'session' | 'token' | 'socket';
  readonly role: 'owner' | 'member';
  /** Recorded as `by` on what the request does (a user's email, `local:<name>` over the socket). */
  readonly actor: string;
  /** The session's or token's id (never the secret): scopes idempotency keys, ends a session. */
  readonly credentialId?: string;
}

export interface AppEnv {
  Variables: {
    requestId: string;
    log: Logger;
    /** Set by the auth middleware on every protected route. */
    principal: Principal;
    /**
     * Set by a handler whose answer carries a secret (a new API token): the idempotency middleware
     * then never stores that answer, and a retry with the same key is refused with 409.
     */
    secretInResponse?: boolean;
  };
}

/** Node bindings of a request (`@hono/node-server`), plus whether it came over the socket. */
export interface ServerBindings {
  readonly viaSocket?: boolean;
}
