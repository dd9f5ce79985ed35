import { BatonError, ErrorCode } from '@baton/engine';

/** The largest version the store numbers (a 32-bit integer). */
const MAX_VERSION = 2_147_483_647;

/** `text` as a version number (1, 2, …), or `BAD_REQUEST` naming `what`. */
export function parseVersion(text: string, what: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < 1 || n > MAX_VERSION)
    throw new BatonError(ErrorCode.badRequest, `${what} must be a version number (1, 2, …), not "${text}"`);
  return n;
}
