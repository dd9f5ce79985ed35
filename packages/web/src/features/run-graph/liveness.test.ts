import { describe, expect, it } from 'vitest';
import { formatDuration, liveness, STALL_MS } from './liveness.js';

const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);

describe('a phase’s liveness', () => {
  it('counts a running attempt’s time to now and how long it has been quiet', () => {
    const live = liveness('running', { startedAt: T0, lastActivityAt: T0 + 30_000 }, T0 + 42_000);
    expect(live).toEqual({ elapsedMs: 42_000, quietMs: 12_000, stalled: false });
  });

  it('marks a running attempt stalled once it has been quiet for a minute, not before', () => {
    const details = { startedAt: T0, lastActivityAt: T0 + 10_000 };
    expect(liveness('running', details, T0 + 10_000 + STALL_MS - 1).stalled).toBe(false);
    expect(liveness('running', details, T0 + 10_000 + STALL_MS).stalled).toBe(true);
  });

  it('takes the start as the last sign of life of an attempt that never reported one', () => {
    expect(liveness('running', { startedAt: T0 }, T0 + STALL_MS + 5000)).toMatchObject({
      quietMs: STALL_MS + 5000,
      stalled: true,
    });
  });

  it('never calls an attempt that ended stalled, and counts its time to its end', () => {
    const live = liveness('completed', { startedAt: T0, endedAt: T0 + 5000 }, T0 + 10 * STALL_MS);
    expect(live).toEqual({ elapsedMs: 5000, stalled: false });
  });

  it('has no time for a phase that has not started', () => {
    expect(liveness('blocked', undefined, T0)).toEqual({ stalled: false });
  });

  it('formats durations in seconds, minutes and hours', () => {
    expect([45_000, 185_000, 7_440_000].map(formatDuration)).toEqual(['45 s', '3 min 05 s', '2 h 04 min']);
  });
});
