import type { RetryPolicy } from '../types.js';

/**
 * Delay before the attempt that follows the `n`-th failed attempt of a series (n ≥ 1):
 * `min(maxBackoff, backoff · 2^(n-1))`, scaled by a jitter factor in [0.5, 1]. The jitter is drawn
 * from a hash of `(run, phase, attempt)`, so it spreads retries of many phases apart while the
 * scheduler stays deterministic (replaying a log gives the same times).
 */
export function retryDelayMs(policy: RetryPolicy, n: number, jitterKey: string): number {
  const exponential = policy.backoffMs * 2 ** Math.max(0, n - 1);
  const capped = Math.min(policy.maxBackoffMs, exponential);
  return Math.round(capped * (0.5 + 0.5 * unitHash(jitterKey)));
}

/** FNV-1a of a string, mapped to [0, 1). */
function unitHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) / 0x1_0000_0000;
}
