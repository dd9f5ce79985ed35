/**
 * The cursor of a page of runs: opaque to clients, base64url of `{createdAt, id}` — the last run
 * of the page, so the next page starts strictly after it (newest first, ties by id).
 */
import { ApiError, ApiErrorCode } from '../http-errors.js';

/** Where a page starts: runs created before `createdAt`, or at it with a smaller id. */
export interface RunCursor {
  readonly createdAt: number;
  readonly id: string;
}

export function encodeRunCursor(cursor: RunCursor): string {
  return Buffer.from(JSON.stringify({ createdAt: cursor.createdAt, id: cursor.id }), 'utf8').toString(
    'base64url',
  );
}

/** The latest time a JavaScript date can hold (and the database's timestamps can too). */
const LATEST_DATE_MS = 8.64e15;

/**
 * Reads a cursor; one this server did not make — not JSON, a time before 1970 or past what a date
 * holds, an id with a NUL character — is a 422 `INVALID_REQUEST` naming `query.cursor`.
 */
export function decodeRunCursor(text: string): RunCursor {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  const candidate = value as Partial<RunCursor> | undefined;
  if (
    typeof candidate !== 'object' ||
    candidate === null ||
    typeof candidate.createdAt !== 'number' ||
    !Number.isFinite(candidate.createdAt) ||
    candidate.createdAt < 0 ||
    candidate.createdAt > LATEST_DATE_MS ||
    typeof candidate.id !== 'string' ||
    candidate.id.includes('\u0000')
  ) {
    const message = 'not a cursor of this list: pass the nextCursor of the previous page as it is';
    throw new ApiError(ApiErrorCode.invalidRequest, `query.cursor: ${message}`, {
      problems: [{ path: 'query.cursor', message }],
    });
  }
  return { createdAt: candidate.createdAt, id: candidate.id };
}
