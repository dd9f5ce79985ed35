import { describe, expect, it } from 'vitest';
import { manualClock } from '../testing/test-server.js';
import { createLoginGuard } from './login-guard.js';
import { createRateLimiter } from './rate-limiter.js';

const MINUTE = 60_000;

describe('the sliding-window rate limiter', () => {
  it('allows `limit` failures within the window and refuses the next attempt until the oldest ages out', () => {
    const clock = manualClock(0);
    const limiter = createRateLimiter({ limit: 3, windowMs: 15 * MINUTE, clock });
    limiter.fail('a');
    clock.advance(MINUTE);
    limiter.fail('a');
    limiter.fail('a');
    expect(limiter.check('a')).toEqual({ allowed: false, retryAfterMs: 14 * MINUTE });
    expect(limiter.check('b')).toEqual({ allowed: true });
    clock.advance(14 * MINUTE - 1);
    expect(limiter.check('a')).toEqual({ allowed: false, retryAfterMs: 1 });
    clock.advance(1);
    expect(limiter.check('a')).toEqual({ allowed: true });
    limiter.fail('a');
    expect(limiter.check('a')).toEqual({ allowed: false, retryAfterMs: MINUTE });
  });

  it('forgets a key on reset', () => {
    const clock = manualClock(0);
    const limiter = createRateLimiter({ limit: 1, windowMs: MINUTE, clock });
    limiter.fail('a');
    expect(limiter.check('a').allowed).toBe(false);
    limiter.reset('a');
    expect(limiter.check('a')).toEqual({ allowed: true });
  });

  it('takes back the newest failure on release', () => {
    const clock = manualClock(0);
    const limiter = createRateLimiter({ limit: 2, windowMs: MINUTE, clock });
    limiter.fail('a');
    limiter.fail('a');
    expect(limiter.check('a').allowed).toBe(false);
    limiter.release('a');
    expect(limiter.check('a')).toEqual({ allowed: true });
    limiter.release('a');
    limiter.release('a');
    limiter.fail('a');
    expect(limiter.check('a')).toEqual({ allowed: true });
  });

  it('keeps at most maxKeys keys, dropping the least recently failed', () => {
    const clock = manualClock(0);
    const limiter = createRateLimiter({ limit: 1, windowMs: MINUTE, clock, maxKeys: 2 });
    limiter.fail('a');
    limiter.fail('b');
    limiter.fail('a');
    limiter.fail('c');
    expect(limiter.check('b')).toEqual({ allowed: true });
    expect(limiter.check('a').allowed).toBe(false);
    expect(limiter.check('c').allowed).toBe(false);
  });
});

describe('the login guard', () => {
  const limits = { perAddressAndEmail: 2, perAddress: 3, windowMs: 15 * MINUTE };

  it('counts an attempt when it begins, so attempts begun together past the limit are refused', () => {
    const guard = createLoginGuard(limits, manualClock(0));
    expect(guard.begin('10.0.0.1', 'ada@example.com')).toEqual({ allowed: true });
    expect(guard.begin('10.0.0.1', 'ada@example.com')).toEqual({ allowed: true });
    expect(guard.begin('10.0.0.1', 'ada@example.com')).toEqual({ allowed: false, retryAfterMs: 15 * MINUTE });
  });

  it('refuses an address and email after their failures, and not the same email from elsewhere', () => {
    const guard = createLoginGuard(limits, manualClock(0));
    guard.begin('10.0.0.1', 'ada@example.com');
    guard.begin('10.0.0.1', 'ADA@example.com');
    expect(guard.begin('10.0.0.1', 'ada@example.com')).toEqual({ allowed: false, retryAfterMs: 15 * MINUTE });
    expect(guard.begin('10.0.0.1', 'bob@example.com')).toEqual({ allowed: true });
    expect(guard.begin('10.0.0.2', 'ada@example.com')).toEqual({ allowed: true });
  });

  it('refuses an address that failed with many emails, whatever the email', () => {
    const clock = manualClock(0);
    const guard = createLoginGuard(limits, clock);
    for (const email of ['a@x.org', 'b@x.org', 'c@x.org']) {
      guard.begin('10.0.0.1', email);
      clock.advance(MINUTE);
    }
    expect(guard.begin('10.0.0.1', 'd@x.org')).toEqual({ allowed: false, retryAfterMs: 12 * MINUTE });
    expect(guard.begin('10.0.0.1', undefined).allowed).toBe(false);
  });

  it('takes back a successful attempt and forgets the failures of its address and email', () => {
    const guard = createLoginGuard(limits, manualClock(0));
    guard.begin('10.0.0.1', 'ada@example.com');
    guard.begin('10.0.0.1', 'ada@example.com');
    guard.succeed('10.0.0.1', 'ada@example.com');
    expect(guard.begin('10.0.0.1', 'ada@example.com')).toEqual({ allowed: true });
    expect(guard.begin('10.0.0.1', 'ada@example.com')).toEqual({ allowed: true });
  });

  it('takes back a released attempt', () => {
    const guard = createLoginGuard(limits, manualClock(0));
    guard.begin('10.0.0.1', undefined);
    guard.begin('10.0.0.1', undefined);
    guard.begin('10.0.0.1', undefined);
    expect(guard.begin('10.0.0.1', undefined).allowed).toBe(false);
    guard.release('10.0.0.1', undefined);
    expect(guard.begin('10.0.0.1', undefined)).toEqual({ allowed: true });
  });
});
