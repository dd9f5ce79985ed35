/**
 * A sliding-window counter of failures per key (a client address, or an address and an email):
 * a key that failed `limit` times within the last `windowMs` is refused until its oldest failure in
 * the window is `windowMs` old. In memory, per process: several servers on one database each count
 * on their own (docs/server.md says so). At most `maxKeys` keys are kept (least recently failed
 * first out), each with at most `limit` times, so the memory stays bounded whatever clients send.
 */
import type { Clock } from '@baton/engine';

export interface RateLimiterOptions {
  /** Failures allowed within the window; the next attempt is refused. */
  readonly limit: number;
  readonly windowMs: number;
  readonly clock: Clock;
  /** Most keys remembered (default 10 000). */
  readonly maxKeys?: number;
}

/** May the key try again? When not, how long until it may (milliseconds, at least 1). */
export type RateVerdict =
  { readonly allowed: true } | { readonly allowed: false; readonly retryAfterMs: number };

export interface RateLimiter {
  check(key: string): RateVerdict;
  /** Counts one failure of `key`. */
  fail(key: string): void;
  /** Takes back the newest failure of `key` (an attempt counted in advance that did not fail). */
  release(key: string): void;
  /** Forgets `key`'s failures (after a success). */
  reset(key: string): void;
}

export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const { limit, windowMs, clock } = options;
  const maxKeys = options.maxKeys ?? 10_000;
  /** Failure times per key, oldest first; insertion order of the map = least recently failed first. */
  const failures = new Map<string, number[]>();

  function recent(key: string, now: number): number[] {
    const times = failures.get(key);
    if (times === undefined) return [];
    const kept = times.filter((at) => at > now - windowMs);
    if (kept.length === 0) failures.delete(key);
    else if (kept.length !== times.length) failures.set(key, kept);
    return kept;
  }

  return {
    check(key) {
      const now = clock.now();
      const times = recent(key, now);
      if (times.length < limit) return { allowed: true };
      const oldest = times[times.length - limit]!;
      return { allowed: false, retryAfterMs: Math.max(1, oldest + windowMs - now) };
    },
    fail(key) {
      const now = clock.now();
      const times = [...recent(key, now), now].slice(-limit);
      failures.delete(key);
      failures.set(key, times);
      while (failures.size > maxKeys) failures.delete(failures.keys().next().value!);
    },
    release(key) {
      const times = failures.get(key);
      if (times === undefined) return;
      if (times.length <= 1) failures.delete(key);
      else failures.set(key, times.slice(0, -1));
    },
    reset(key) {
      failures.delete(key);
    },
  };
}
