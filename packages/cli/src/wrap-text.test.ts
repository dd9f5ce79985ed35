import { describe, expect, it } from 'vitest';
import { wrapText } from './wrap-text.js';

describe('wrapText', () => {
  it('keeps a short text on one line', () => {
    expect(wrapText('add a header row', 40)).toEqual(['add a header row']);
  });

  it('wraps at word boundaries within the width', () => {
    expect(wrapText('the totals row must sum the amounts column', 16)).toEqual([
      'the totals row',
      'must sum the',
      'amounts column',
    ]);
  });

  it("keeps the text's own line breaks and blank lines, but not trailing ones", () => {
    expect(wrapText('first point\n\nsecond point\n', 40)).toEqual(['first point', '', 'second point']);
  });

  it('leaves a word longer than the width whole on its own line', () => {
    expect(wrapText('see https://example.com/a/very/long/path now', 12)).toEqual([
      'see',
      'https://example.com/a/very/long/path',
      'now',
    ]);
  });
});
