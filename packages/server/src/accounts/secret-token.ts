/**
 * The secrets Baton hands out — session tokens (the `baton_session` cookie), API tokens and setup
 * tokens — are 32 random bytes in base64url. API tokens start with `baton_` so that secret
 * scanners can recognise a leaked one. Only the SHA-256 of a token is stored (`hashToken`), so a
 * copy of the database signs nobody in, and every server on the database accepts every token.
 */
import { createHash, randomBytes } from 'node:crypto';

/** What every API token starts with. */
const API_TOKEN_PREFIX = 'baton_';

/** An API token: `baton_` and 43 base64url characters. */
export const API_TOKEN_PATTERN = /^baton_[A-Za-z0-9_-]{43}$/;

/** Characters of an API token shown in lists (`baton_` and the first six random ones). */
const DISPLAY_LENGTH = API_TOKEN_PREFIX.length + 6;

/** 32 random bytes, base64url (43 characters). */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

/** A new API token. */
export function newApiToken(): string {
  return `${API_TOKEN_PREFIX}${randomToken()}`;
}

/** The part of an API token that lists show (not enough to use it). */
export function displayPrefix(token: string): string {
  return token.slice(0, DISPLAY_LENGTH);
}

/** The SHA-256 of a token, in hex: what the database keeps instead of the token. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
