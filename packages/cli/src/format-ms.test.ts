import { describe, expect, it } from 'vitest';
import { formatMs } from './format-ms.js';

describe('formatMs', () => {
  it('prints a sub-second duration in milliseconds', () => {
    expect(formatMs(100)).toBe('100ms');
    expect(formatMs(850)).toBe('850ms');
  });

  it('never prints a positive duration as 0ms: it rounds up to the unit', () => {
    expect(formatMs(0.4)).toBe('1ms');
    expect(formatMs(99.1)).toBe('100ms');
  });

  it('prints zero and negative durations as 0ms', () => {
    expect(formatMs(0)).toBe('0ms');
    expect(formatMs(-20)).toBe('0ms');
    expect(formatMs(Number.NaN)).toBe('0ms');
  });

  it('moves to seconds at a whole second, with one decimal rounded up', () => {
    expect(formatMs(999.5)).toBe('1.0s');
    expect(formatMs(4200)).toBe('4.2s');
    expect(formatMs(4201)).toBe('4.3s');
  });

  it('moves to minutes before a seconds count would read 60.0s', () => {
    expect(formatMs(59_950)).toBe('1m00s');
    expect(formatMs(185_000)).toBe('3m05s');
  });
});
