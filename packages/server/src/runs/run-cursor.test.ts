import { describe, expect, it } from 'vitest';
import { decodeRunCursor, encodeRunCursor } from './run-cursor.js';

const raw = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

describe('the run cursor', () => {
  it('reads back what it wrote', () => {
    const cursor = { createdAt: Date.UTC(2026, 0, 1), id: 'run-1' };
    expect(decodeRunCursor(encodeRunCursor(cursor))).toEqual(cursor);
  });

  it.each([
    ['not JSON', 'not-a-cursor'],
    ['a time past what a date holds', raw({ createdAt: 1e300, id: 'r' })],
    ['a time before 1970', raw({ createdAt: -1, id: 'r' })],
    ['an id with a NUL character', raw({ createdAt: 0, id: 'a\u0000b' })],
    ['no id', raw({ createdAt: 0 })],
  ])('refuses %s as INVALID_REQUEST naming query.cursor', (_, text) => {
    expect(() => decodeRunCursor(text)).toThrow(
      expect.objectContaining({
        code: 'INVALID_REQUEST',
        problems: [expect.objectContaining({ path: 'query.cursor' })],
      }),
    );
  });
});
