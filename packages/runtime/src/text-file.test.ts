import { describe, expect, it } from 'vitest';
import { decodeText } from './text-file.js';

const bytes = (...values: number[]) => Uint8Array.from(values);

describe('decodeText', () => {
  it('reads UTF-8 text, any script or emoji included, and keeps a byte-order mark', () => {
    expect(decodeText(new TextEncoder().encode('id: café 🎉\n'))).toBe('id: café 🎉\n');
    expect(decodeText(bytes(0xef, 0xbb, 0xbf, 0x61))).toBe('\ufeffa');
    expect(decodeText(bytes())).toBe('');
  });

  it('keeps control characters other than NUL: text may hold an escape sequence', () => {
    expect(decodeText(bytes(0x1b, 0x5b, 0x32, 0x4a))).toBe('\u001b[2J');
  });

  it('takes a file with a NUL byte for binary, even when it is valid UTF-8', () => {
    expect(decodeText(bytes(0x61, 0x00, 0x62))).toBeUndefined();
  });

  it('takes a file that is not valid UTF-8 for binary (a PNG header, Latin-1 text)', () => {
    expect(decodeText(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a))).toBeUndefined();
    expect(decodeText(bytes(0x63, 0x61, 0x66, 0xe9))).toBeUndefined();
  });
});
