import { describe, expect, it } from 'vitest';
import { isoTime } from './iso-time.js';

describe('isoTime', () => {
  it("writes what Date's toISOString writes, on the edges of days, months, years and leap years", () => {
    const edges = [
      0,
      1,
      999,
      Date.UTC(1999, 11, 31, 23, 59, 59, 999),
      Date.UTC(2000, 1, 29, 12),
      Date.UTC(2000, 2, 1),
      Date.UTC(2100, 1, 28, 23, 59, 59, 999),
      Date.UTC(2100, 2, 1),
      Date.UTC(2026, 11, 7, 6, 41, 41, 123),
      Date.UTC(9999, 11, 31, 23, 59, 59, 999),
    ];
    for (const ms of edges) expect(isoTime(ms)).toBe(new Date(ms).toISOString());
  });

  it('writes what toISOString writes for many times from 1970 to 9999, in any order', () => {
    let seed = 42;
    const next = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let i = 0; i < 20_000; i += 1) {
      const ms = Math.floor(next() * 253_402_300_800_000);
      expect(isoTime(ms)).toBe(new Date(ms).toISOString());
    }
  });

  it('leaves times before 1970, after 9999 and fractions of a ms to Date', () => {
    for (const ms of [-1, -86_400_000 * 365, 253_402_300_800_000, 8.64e15, 1.5])
      expect(isoTime(ms)).toBe(new Date(ms).toISOString());
  });
});
