/**
 * The setup link: while the home's local tenant has no owner, each server start records a one-time
 * setup token (its hash) and prints `…/setup?token=…`; `POST /api/auth/setup` with that token makes
 * the owner account, deletes every setup token and signs the owner in.
 */
import { randomUUID } from 'node:crypto';
import type { Queryable } from '@baton/store';
import { ApiError, ApiErrorCode } from '../http-errors.js';
import { deleteSetupTokens } from '../sql/delete-setup-tokens.js';
import { insertMembership } from '../sql/insert-membership.js';
import { insertSetupToken } from '../sql/insert-setup-token.js';
import { insertUser } from '../sql/insert-user.js';
import { lockTenant } from '../sql/lock-tenant.js';
import { selectHasOwner } from '../sql/select-owner.js';
import { selectSetupToken } from '../sql/select-setup-token.js';
import type { AccountsContext } from './accounts-context.js';
import { LOCAL_TENANT } from '@baton/engine';
import { hashPassword } from './password.js';
import { hashToken, randomToken } from './secret-token.js';
import { startSession, type SignedIn } from './sessions.js';

/** What `ensureSetupToken` takes. */
export interface SetupTokenOptions {
  /** Use this token instead of a random one (`BATON_SETUP_TOKEN`): 16 to 256 printable characters. */
  readonly preset?: string;
}

const PRESET = /^[\x21-\x7e]{16,256}$/;

/**
 * When the local tenant has no owner yet: records a setup token and returns it (the caller prints
 * the link). Undefined when the owner exists. Throws `INVALID_REQUEST` for a preset that is too
 * short or has spaces or other unprintable characters.
 */
export async function ensureSetupToken(
  ctx: AccountsContext,
  options: SetupTokenOptions = {},
): Promise<{ token: string } | undefined> {
  if (options.preset !== undefined && !PRESET.test(options.preset))
    throw new ApiError(
      ApiErrorCode.invalidRequest,
      'BATON_SETUP_TOKEN must be 16 to 256 printable characters without spaces; unset it for a random one',
    );
  if (await selectHasOwner(ctx.db, LOCAL_TENANT)) return undefined;
  const token = options.preset ?? randomToken();
  await insertSetupToken(ctx.db, LOCAL_TENANT, hashToken(token), ctx.clock.now());
  return { token };
}

/** What setup takes. */
export interface SetupInput {
  readonly token?: string | undefined;
  readonly email: string;
  readonly password: string;
}

/**
 * Makes the local tenant's owner and signs them in. `409 CONFLICT` when the tenant has an owner
 * already; `403 FORBIDDEN` for a missing or wrong token. The password is hashed before the
 * transaction (it is slow); the checks run again inside it, under the tenant's row lock.
 */
export async function completeSetup(ctx: AccountsContext, input: SetupInput): Promise<SignedIn> {
  await refuseSetup(ctx, input.token);
  const passwordHash = await hashPassword(input.password);
  return ctx.db.transaction(async (tx) => {
    const tenant = await lockTenant(tx, LOCAL_TENANT);
    if (tenant === undefined)
      throw new ApiError(
        ApiErrorCode.conflict,
        `the tenant "${LOCAL_TENANT}" is missing: migrate the database`,
      );
    await refuseSetup(ctx, input.token, tx);
    const now = ctx.clock.now();
    const userId = randomUUID();
    if (!(await insertUser(tx, { id: userId, email: input.email, passwordHash, createdAt: now })))
      throw new ApiError(ApiErrorCode.conflict, `a user with the email ${input.email} exists already`);
    await insertMembership(tx, LOCAL_TENANT, userId, 'owner', now);
    await deleteSetupTokens(tx, LOCAL_TENANT);
    const session = await startSession(ctx, tx, LOCAL_TENANT, userId);
    return {
      user: { id: userId, email: input.email },
      tenant: { id: LOCAL_TENANT, name: tenant.name },
      session,
    };
  });
}

async function refuseSetup(
  ctx: AccountsContext,
  token: string | undefined,
  db: Queryable = ctx.db,
): Promise<void> {
  if (await selectHasOwner(db, LOCAL_TENANT))
    throw new ApiError(
      ApiErrorCode.conflict,
      'setup is done: the owner exists; sign in (POST /api/auth/login)',
    );
  if (token === undefined || token === '' || !(await selectSetupToken(db, LOCAL_TENANT, hashToken(token))))
    throw new ApiError(
      ApiErrorCode.forbidden,
      'the setup token is missing or wrong: open the setup link the server printed when it started (or restart it for a new one)',
    );
}
