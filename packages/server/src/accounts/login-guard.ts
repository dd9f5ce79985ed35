/**
 * The login rate limit: failed attempts are counted per client address and email, and per client
 * address alone (someone trying many emails); past either limit the attempt is refused with
 * `429 RATE_LIMITED` before the password is checked — even a right one, or the limit would tell an
 * attacker when they guessed. A success forgets the failures of that address and email. Failed
 * setup attempts count against the address too.
 *
 * Each attempt is counted as a failure when it begins, before the slow password check, and taken
 * back when it succeeds: counting after the check would let many attempts sent at once all pass the
 * limit while their checks run.
 */
import type { Clock } from '@baton/engine';
import type { LoginLimits } from './accounts-context.js';
import { createRateLimiter, type RateVerdict } from './rate-limiter.js';

export interface LoginGuard {
  /**
   * May this address (and email) try now? When it may, the attempt is counted as failed at once;
   * call `succeed` or `release` when it turns out otherwise. `email` undefined counts the address
   * alone (setup).
   */
  begin(address: string, email: string | undefined): RateVerdict;
  /** A begun attempt signed in: takes back its count and forgets the address and email's failures. */
  succeed(address: string, email: string): void;
  /** A begun attempt neither failed nor succeeded (say the request was refused for another reason). */
  release(address: string, email: string | undefined): void;
}

export function createLoginGuard(limits: Required<LoginLimits>, clock: Clock): LoginGuard {
  const perPair = createRateLimiter({ limit: limits.perAddressAndEmail, windowMs: limits.windowMs, clock });
  const perAddress = createRateLimiter({ limit: limits.perAddress, windowMs: limits.windowMs, clock });
  const pairKey = (address: string, email: string) => `${address}\n${email.toLowerCase()}`;

  function check(address: string, email: string | undefined): RateVerdict {
    const byAddress = perAddress.check(address);
    const byPair =
      email === undefined ? ({ allowed: true } as const) : perPair.check(pairKey(address, email));
    if (byAddress.allowed) return byPair;
    if (byPair.allowed) return byAddress;
    return { allowed: false, retryAfterMs: Math.max(byAddress.retryAfterMs, byPair.retryAfterMs) };
  }

  return {
    begin(address, email) {
      const verdict = check(address, email);
      if (!verdict.allowed) return verdict;
      perAddress.fail(address);
      if (email !== undefined) perPair.fail(pairKey(address, email));
      return verdict;
    },
    succeed(address, email) {
      perAddress.release(address);
      perPair.reset(pairKey(address, email));
    },
    release(address, email) {
      perAddress.release(address);
      if (email !== undefined) perPair.release(pairKey(address, email));
    },
  };
}
