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
});
