import { describe, expect, it } from 'vitest';
import { formatDuration } from './format-duration.js';

describe('formatDuration', () => {
  it('prints short durations in milliseconds', () => {
    expect(formatDuration(250)).toBe('250ms');
  });

  it('prints whole minutes without zero seconds', () => {
    expect(formatDuration(600_000)).toBe('10m');
  });

  it('prints fractional seconds with one decimal', () => {
    expect(formatDuration(1500)).toBe('1.5s');
  });

  it('prints hours, minutes and seconds together', () => {
    expect(formatDuration(3_723_000)).toBe('1h2m3s');
  });

  it('never prints a positive duration as zero: a fraction of a millisecond rounds up', () => {
    expect(formatDuration(0.4)).toBe('1ms');
    expect(formatDuration(0)).toBe('0ms');
  });

  it('rounds up to the unit it shows, and moves to seconds at a whole second', () => {
    expect(formatDuration(100)).toBe('100ms');
    expect(formatDuration(999.2)).toBe('1s');
    expect(formatDuration(1001)).toBe('1.1s');
    expect(formatDuration(59_950)).toBe('1m');
  });
});
