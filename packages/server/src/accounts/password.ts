/**
 * Password hashes: scrypt (node:crypto, no dependency) with a random 16-byte salt, its parameters
 * kept in the stored string so that they can grow later without breaking existing hashes:
 *
 *   scrypt$<N>$<r>$<p>$<salt, base64url>$<hash, base64url>
 *
 * N = 2^15, r = 8, p = 3 is one of OWASP's equivalent scrypt settings (32 MiB of memory per hash).
 * Hashing runs on libuv's thread pool (`crypto.scrypt`), not on the event loop.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** Fewest characters a password may have. */
export const MIN_PASSWORD_LENGTH = 10;
/** Most characters a password may have (hashing a megabyte would be a cheap denial of service). */
export const MAX_PASSWORD_LENGTH = 1024;

interface ScryptParams {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

const DEFAULT_PARAMS: ScryptParams = { N: 2 ** 15, r: 8, p: 3 };
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;

function derive(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const options: ScryptOptions = { ...params, maxmem: 256 * params.N * params.r };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, options, (error, key) =>
      error === null ? resolve(key) : reject(error),
    );
  });
}

/** Hashes `password` with a fresh salt; the result is what `users.password_hash` stores. */
export async function hashPassword(password: string, params: ScryptParams = DEFAULT_PARAMS): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  const key = await derive(password, salt, params);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64url'), key.toString('base64url')].join(
    '$',
  );
}

const STORED = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/;

/**
 * True when `password` matches `stored` (compared in constant time). False for a stored string this
 * module did not write, or whose parameters are out of bounds — never throws for a wrong password.
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const match = STORED.exec(stored);
  if (match === null) return false;
  const params = { N: Number(match[1]), r: Number(match[2]), p: Number(match[3]) };
  if (!saneParams(params)) return false;
  const expected = Buffer.from(match[5]!, 'base64url');
  const key = await derive(password, Buffer.from(match[4]!, 'base64url'), params);
  return key.length === expected.length && timingSafeEqual(key, expected);
}

function saneParams({ N, r, p }: ScryptParams): boolean {
  const powerOfTwo = N >= 2 && (N & (N - 1)) === 0;
  return powerOfTwo && N <= 2 ** 20 && r >= 1 && r <= 32 && p >= 1 && p <= 16;
}

let decoy: Promise<string> | undefined;

/**
 * A hash of a random password (made once per process, on first use): verified against when the
 * email of a login is unknown, so that an unknown email costs the same time as a wrong password.
 */
export function decoyPasswordHash(): Promise<string> {
  decoy ??= hashPassword(randomBytes(18).toString('base64url'));
  return decoy;
}
