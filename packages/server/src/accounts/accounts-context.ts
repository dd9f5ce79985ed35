/**
 * The options of the accounts module and what its parts share: the database, the clock and the
 * settled options.
 */
import { userInfo } from 'node:os';
import type { Clock } from '@baton/engine';
import { systemClock } from '@baton/runtime';
import type { Db } from '@baton/store';

/** Failed logins allowed per window before `429 RATE_LIMITED` (see `login-guard.ts`). */
export interface LoginLimits {
  /** Failures per client address and email (default 10). */
  readonly perAddressAndEmail?: number;
  /** Failures per client address, whatever the email (default 30). */
  readonly perAddress?: number;
  /** The sliding window (default 15 minutes). */
  readonly windowMs?: number;
}

export interface AccountsOptions {
  /** Time of sessions, tokens and the login limits (default: the wall clock). */
  readonly clock?: Clock;
  /** How long a session lasts from sign-in (default 30 days); also the cookie's Max-Age. */
  readonly sessionLifetimeMs?: number;
  /**
   * Whether the session cookie is `Secure`. Default: when the request's own URL is https (the
   * server terminates TLS itself). Set true behind a proxy that terminates TLS: Baton does not
   * trust `X-Forwarded-Proto`.
   */
  readonly secureCookies?: boolean;
  readonly loginLimits?: LoginLimits;
  /** The operating-system user the home's socket stands for (`local:<name>`; default: this process's user). */
  readonly localUser?: string;
}

/** A session lasts 30 days unless told otherwise. */
const DEFAULT_SESSION_LIFETIME_MS = 30 * 24 * 60 * 60 * 1000;

/** What the parts of the accounts module share. */
export interface AccountsContext {
  readonly db: Db;
  readonly clock: Clock;
  readonly sessionLifetimeMs: number;
  readonly secureCookies: boolean | undefined;
  readonly loginLimits: Required<LoginLimits>;
  readonly localActor: string;
}

export function accountsContext(db: Db, options: AccountsOptions): AccountsContext {
  return {
    db,
    clock: options.clock ?? systemClock,
    sessionLifetimeMs: options.sessionLifetimeMs ?? DEFAULT_SESSION_LIFETIME_MS,
    secureCookies: options.secureCookies,
    loginLimits: {
      perAddressAndEmail: options.loginLimits?.perAddressAndEmail ?? 10,
      perAddress: options.loginLimits?.perAddress ?? 30,
      windowMs: options.loginLimits?.windowMs ?? 15 * 60 * 1000,
    },
    localActor: `local:${options.localUser ?? userInfo().username}`,
  };
}
