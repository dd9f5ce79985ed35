/**
 * API tokens (`Authorization: Bearer baton_…`): made by a signed-in principal, shown once, listed
 * without their secret, revoked at once. Who manages which: every member manages their own
 * tokens; an owner sees and revokes every token of the tenant. A token made over the home's socket
 * (no user) belongs to the tenant and acts as its owner. Only a session or the socket makes tokens:
 * a token may not make another (a leaked token with an expiry could otherwise outlive it by making
 * one that never expires).
 */
import { randomUUID } from 'node:crypto';
import type { Principal } from '../app-env.js';
import { ApiError, ApiErrorCode } from '../http-errors.js';
import { insertApiToken } from '../sql/insert-api-token.js';
import { revokeApiToken } from '../sql/revoke-api-token.js';
import { selectApiTokens, type ApiTokenSummary } from '../sql/select-api-tokens.js';
import type { AccountsContext } from './accounts-context.js';
import { displayPrefix, hashToken, newApiToken } from './secret-token.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * How long an expired token stays listed (30 days), so that its owner sees which token stopped
 * working and when; then the server's sweep deletes it. A revoked token is never listed.
 */
export const EXPIRED_TOKENS_LISTED_MS = 30 * DAY_MS;

/** A token just made: the only time its secret is shown. */
export interface CreatedApiToken {
  readonly id: string;
  readonly name: string;
  readonly token: string;
  readonly prefix: string;
  readonly createdAt: number;
  readonly expiresAt: number | null;
}

/**
 * Makes a token for the principal. `403 FORBIDDEN` when the principal is itself a token: tokens are
 * made by a signed-in person or over the home's socket.
 */
export async function createApiToken(
  ctx: AccountsContext,
  principal: Principal,
  input: { readonly name: string; readonly expiresInDays?: number | undefined },
): Promise<CreatedApiToken> {
  if (principal.via !== 'session' && principal.via !== 'socket')
    throw new ApiError(
      ApiErrorCode.forbidden,
      "tokens are made by a signed-in person (POST /api/auth/login) or over the home's socket, not with a token",
    );
  const token = newApiToken();
  const now = ctx.clock.now();
  const expiresAt = input.expiresInDays === undefined ? null : now + input.expiresInDays * DAY_MS;
  const created = {
    id: randomUUID(),
    name: input.name,
    token,
    prefix: displayPrefix(token),
    createdAt: now,
    expiresAt,
  };
  await insertApiToken(ctx.db, {
    id: created.id,
    tenantId: principal.tenantId,
    userId: principal.userId,
    name: created.name,
    tokenHash: hashToken(token),
    prefix: created.prefix,
    createdBy: principal.actor,
    createdAt: now,
    expiresAt: expiresAt ?? undefined,
  });
  return created;
}

/**
 * The tokens the principal may see: its own, or every one of the tenant for an owner — not revoked
 * ones, and expired ones only for {@link EXPIRED_TOKENS_LISTED_MS} after they expired.
 */
export function listApiTokens(ctx: AccountsContext, principal: Principal): Promise<ApiTokenSummary[]> {
  return selectApiTokens(
    ctx.db,
    principal.tenantId,
    managedUser(principal),
    ctx.clock.now() - EXPIRED_TOKENS_LISTED_MS,
  );
}

/** Revokes a token the principal may manage; false when there is none such (the route says 404). */
export function revokeToken(ctx: AccountsContext, principal: Principal, tokenId: string): Promise<boolean> {
  return revokeApiToken(ctx.db, principal.tenantId, tokenId, managedUser(principal), ctx.clock.now());
}

/** Whose tokens the principal manages: null for all of the tenant's (an owner), else its user's. */
function managedUser(principal: Principal): string | null {
  return principal.role === 'owner' ? null : (principal.userId ?? '');
}
