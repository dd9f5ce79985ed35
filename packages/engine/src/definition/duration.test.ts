import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from './duration.js';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['2s', 2_000],
    ['10m', 600_000],
    ['1h', 3_600_000],
    ['1h30m', 5_400_000],
    ['1h 30m', 5_400_000],
    ['1m30s', 90_000],
    ['2s500ms', 2_500],
    ['1.5h', 5_400_000],
    ['2d', 172_800_000],
    [' 5s ', 5_000],
    ['0s', 0],
  ])('reads %s as %d milliseconds', (text, ms) => {
    expect(parseDuration(text)).toEqual({ ok: true, ms });
  });

  it('takes a number as milliseconds', () => {
    expect(parseDuration(1500)).toEqual({ ok: true, ms: 1500 });
    expect(parseDuration(0)).toEqual({ ok: true, ms: 0 });
  });

  it('rejects text that is not a duration with an example of what is', () => {
    expect(parseDuration('ten minutes')).toEqual({
      ok: false,
      message: 'invalid duration "ten minutes" (use a number with a unit, e.g. 500ms, 2s, 10m, 1h or 1h30m)',
    });
    expect(parseDuration('10min').ok).toBe(false);
    expect(parseDuration('').ok).toBe(false);
    expect(parseDuration('s').ok).toBe(false);
  });

  it('rejects negative durations', () => {
    expect(parseDuration('-5s')).toEqual({ ok: false, message: 'duration must not be negative (got "-5s")' });
    expect(parseDuration(-1)).toEqual({ ok: false, message: 'duration must not be negative (got -1)' });
  });

  it('rejects a number in a string without a unit and says which units to add', () => {
    expect(parseDuration('500')).toEqual({
      ok: false,
      message: 'duration "500" has no unit (write 500ms, 500s or 500m)',
    });
  });

  it('rejects units that are repeated or out of order', () => {
    expect(parseDuration('30m1h')).toEqual({
      ok: false,
      message: 'invalid duration "30m1h" (write units once, largest first, e.g. 1h30m)',
    });
    expect(parseDuration('1s1s').ok).toBe(false);
  });

  it('rejects fractional, infinite and NaN milliseconds', () => {
    expect(parseDuration(1.5).ok).toBe(false);
    expect(parseDuration(Number.POSITIVE_INFINITY).ok).toBe(false);
    expect(parseDuration(Number.NaN).ok).toBe(false);
  });
});

describe('formatDuration', () => {
  it('writes the largest units first and leaves out zero parts', () => {
    expect(formatDuration(0)).toBe('0ms');
    expect(formatDuration(500)).toBe('500ms');
    expect(formatDuration(2_000)).toBe('2s');
    expect(formatDuration(1_500)).toBe('1s500ms');
    expect(formatDuration(5_400_000)).toBe('1h30m');
    expect(formatDuration(86_400_000 + 1)).toBe('1d1ms');
    expect(formatDuration(-2_000)).toBe('-2s');
  });

  it('gives back what parseDuration reads', () => {
    for (const ms of [0, 1, 999, 1_000, 61_001, 3_600_000, 5_400_000, 123_456_789, 2_073_600_000]) {
      expect(parseDuration(formatDuration(ms))).toEqual({ ok: true, ms });
    }
  });
});
