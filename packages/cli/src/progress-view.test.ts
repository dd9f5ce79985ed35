import { describe, expect, it } from 'vitest';
import type { PhaseState } from '@baton/engine';
import { describeRetry } from './progress-view.js';

/** A phase whose attempt 1 failed at `failedAt` and whose attempt 2 may start at `notBefore`. */
function backingOff(failedAt: number, notBefore: number | undefined): PhaseState {
  return {
    id: 'flaky',
    status: 'ready',
    attempt: 2,
    seriesStart: 1,
    recoveries: 0,
    ...(notBefore === undefined ? {} : { notBefore }),
    attempts: [
      { attempt: 1, status: 'failed', readyAt: failedAt - 30, startedAt: failedAt - 20, endedAt: failedAt },
      { attempt: 2, status: 'ready', readyAt: failedAt },
    ],
    versions: [],
    updatedAt: failedAt,
  };
}

describe('describeRetry', () => {
  it('in a log, says the delay the retry policy chose, however late the line is printed', () => {
    expect(describeRetry(backingOff(1000, 1100), undefined)).toBe('retrying in 100ms');
  });

  it('on the live view, counts down to the retry', () => {
    expect(describeRetry(backingOff(1000, 1100), 1040)).toBe('retrying in 60ms');
    expect(describeRetry(backingOff(1000, 61_000), 1000)).toBe('retrying in 1m00s');
  });

  it('never says "retrying in 0ms": a retry less than a millisecond away is 1ms away, a due one is now', () => {
    expect(describeRetry(backingOff(1000, 1100), 1099.5)).toBe('retrying in 1ms');
    expect(describeRetry(backingOff(1000, 1100), 1100)).toBe('retrying now');
    expect(describeRetry(backingOff(1000, 1100), 1500)).toBe('retrying now');
  });

  it('says nothing for a phase that is not backing off', () => {
    expect(describeRetry(backingOff(1000, undefined), 1000)).toBe('');
  });
});
