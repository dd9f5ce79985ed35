/**
 * Browser sessions: signing in with an email and a password, and ending a session. A session is
 * an opaque random token (the `baton_session` cookie); the database keeps its SHA-256, so every
 * server on the database accepts it, and ending it there refuses it everywhere at once.
 */
import { randomUUID } from 'node:crypto';
import type { Queryable } from '@baton/store';
import type { Principal } from '../app-env.js';
import { ApiError, ApiErrorCode } from '../http-errors.js';
import { endSession } from '../sql/end-session.js';
import { insertSession } from '../sql/insert-session.js';
import { selectLogin } from '../sql/select-login.js';
import type { AccountsContext } from './accounts-context.js';
import { decoyPasswordHash, verifyPassword } from './password.js';
import { hashToken, randomToken } from './secret-token.js';

/** A new session's secret, to put in the cookie, and when it expires. */
export interface NewSessionToken {
  readonly token: string;
  readonly expiresAt: number;
}

/** Who signed in, where, and their new session. */
export interface SignedIn {
  readonly user: { readonly id: string; readonly email: string };
  readonly tenant: { readonly id: string; readonly name: string };
  readonly session: NewSessionToken;
}

/** Starts a session of the user in the tenant (in `db`, which may be a transaction). */
export async function startSession(
  ctx: AccountsContext,
  db: Queryable,
  tenantId: string,
  userId: string,
): Promise<NewSessionToken> {
  const token = randomToken();
  const now = ctx.clock.now();
  const expiresAt = now + ctx.sessionLifetimeMs;
  await insertSession(db, {
    id: randomUUID(),
    tenantId,
    userId,
    tokenHash: hashToken(token),
    createdAt: now,
    expiresAt,
  });
  return { token, expiresAt };
}

/**
 * Checks the email and password and starts a session in the user's tenant. Undefined when either
 * is wrong (the caller says so in one message for both; an unknown email costs the same time as a
 * wrong password).
 */
export async function login(
  ctx: AccountsContext,
  email: string,
  password: string,
): Promise<SignedIn | undefined> {
  const row = await selectLogin(ctx.db, email);
  const matches = await verifyPassword(password, row?.passwordHash ?? (await decoyPasswordHash()));
  if (row === undefined || !matches) return undefined;
  if (row.tenantId === null || row.tenantName === null) return undefined;
  const session = await startSession(ctx, ctx.db, row.tenantId, row.userId);
  return {
    user: { id: row.userId, email: row.email },
    tenant: { id: row.tenantId, name: row.tenantName },
    session,
  };
}

/**
 * Ends the session the principal came with. A principal of a token or of the socket has no session
 * to end: `409 CONFLICT` says what to do instead.
 */
export async function logout(ctx: AccountsContext, principal: Principal): Promise<void> {
  if (principal.via !== 'session' || principal.credentialId === undefined)
    throw new ApiError(
      ApiErrorCode.conflict,
      `this request is authenticated by ${principal.via === 'token' ? 'an API token' : "the home's socket"}, not a session: there is nothing to sign out of (revoke a token with DELETE /api/tokens/{id})`,
    );
  await endSession(ctx.db, principal.tenantId, principal.credentialId, ctx.clock.now());
}
