/**
 * The login rate limit: failed attempts are counted per client address and email, and per client
 * address alone (someone trying many emails); past either limit the attempt is refused with
 * `429 RATE_LIMITED` before the password is checked — even a right one, or the limit would tell an
 * attacker when they guessed. A success forgets the failures of that address and email. Failed
 * setup attempts count against the address too.
 */
import type { Clock } from '@baton/engine';
import type { LoginLimits } from './accounts-context.js';
import { createRateLimiter, type RateVerdict } from './rate-limiter.js';

export interface LoginGuard {
  /** May this address (and email) try now? `email` undefined checks the address alone. */
  check(address: string, email: string | undefined): RateVerdict;
  fail(address: string, email: string | undefined): void;
  succeed(address: string, email: string): void;
}

export function createLoginGuard(limits: Required<LoginLimits>, clock: Clock): LoginGuard {
  const perPair = createRateLimiter({ limit: limits.perAddressAndEmail, windowMs: limits.windowMs, clock });
  const perAddress = createRateLimiter({ limit: limits.perAddress, windowMs: limits.windowMs, clock });
  const pairKey = (address: string, email: string) => `${address}\n${email.toLowerCase()}`;
  return {
    check(address, email) {
      const byAddress = perAddress.check(address);
      const byPair =
        email === undefined ? ({ allowed: true } as const) : perPair.check(pairKey(address, email));
      if (byAddress.allowed) return byPair;
      if (byPair.allowed) return byAddress;
      return { allowed: false, retryAfterMs: Math.max(byAddress.retryAfterMs, byPair.retryAfterMs) };
    },
    fail(address, email) {
      perAddress.fail(address);
      if (email !== undefined) perPair.fail(pairKey(address, email));
    },
    succeed(address, email) {
      perPair.reset(pairKey(address, email));
    },
  };
}
