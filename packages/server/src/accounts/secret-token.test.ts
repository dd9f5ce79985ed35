import { describe, expect, it } from 'vitest';
import { API_TOKEN_PATTERN, displayPrefix, hashToken, newApiToken, randomToken } from './secret-token.js';

describe('secret tokens', () => {
  it('are 32 random bytes in base64url, different every time', () => {
    const tokens = new Set(Array.from({ length: 100 }, () => randomToken()));
    expect(tokens.size).toBe(100);
    for (const token of tokens) {
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    }
  });

  it('start with baton_ when they are API tokens, and match the pattern the authenticator accepts', () => {
    const token = newApiToken();
    expect(token.startsWith('baton_')).toBe(true);
    expect(token).toHaveLength(49);
    expect(API_TOKEN_PATTERN.test(token)).toBe(true);
    expect(API_TOKEN_PATTERN.test(randomToken())).toBe(false);
    expect(API_TOKEN_PATTERN.test(`${token}x`)).toBe(false);
  });

  it('show only baton_ and six characters in lists', () => {
    const token = newApiToken();
    expect(displayPrefix(token)).toBe(token.slice(0, 12));
  });

  it('are stored as their SHA-256 in hex', () => {
    expect(hashToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(hashToken(newApiToken())).toMatch(/^[0-9a-f]{64}$/);
  });
});
