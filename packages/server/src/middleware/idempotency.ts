/**
 * `Idempotency-Key` on mutating `/api/*` requests (POST, PUT, PATCH, DELETE), after the auth
 * middleware. A key is scoped to the tenant and the user (whichever session or token they use), else
 * the socket's operating-system user, else the credential, and lives 24 hours:
 *
 * - the first request with a key claims it and runs; its response (status, content type, body) is
 *   stored when it is a 2xx or a 4xx other than 422 and 429;
 * - a retry with the same method, path (with query) and body gets that response again, byte for
 *   byte, with `Idempotent-Replayed: true` — nothing runs again;
 * - the same key with another method, path or body: `422 IDEMPOTENCY_KEY_REUSED`;
 * - the same key while the first request is still running: `409 CONFLICT`;
 * - an answer that carries a secret (the handler set `secretInResponse`: a new API token) is never
 *   stored; in its place the key keeps a `409 CONFLICT` saying so, which a retry gets — the work
 *   happened once and is not done again;
 * - a 5xx, a 422 (the input was refused: nothing ran, the client may fix it), a 429 or a refusal
 *   that holds only for now (a retryable error: `HOME_BUSY`) is not stored: the key is released
 *   and a retry runs afresh. So is a key whose request never finished
 *   (its server died) once `abandonAfterMs` passed.
 *
 * The record and the handler's own writes are separate transactions: a server that dies between
 * the handler's commit and storing the response leaves a key that, once abandoned, lets a retry
 * run again. A claim takes over an expired record; the server's sweep (`serve/expiry-sweep.ts`)
 * deletes the rest.
 */
import { createHash } from 'node:crypto';
import { isBatonError, type Clock } from '@baton/engine';
import { systemClock } from '@baton/runtime';
import type { Db } from '@baton/store';
import type { Context, MiddlewareHandler } from 'hono';
import type { ContentfulStatusCode, StatusCode } from 'hono/utils/http-status';
import type { AppEnv, Principal } from '../app-env.js';
import { ApiError, ApiErrorCode } from '../http-errors.js';
import { claimIdempotencyKey } from '../sql/claim-idempotency-key.js';
import { completeIdempotencyKey, type IdempotentResponse } from '../sql/complete-idempotency-key.js';
import { releaseIdempotencyKey } from '../sql/release-idempotency-key.js';
import { selectIdempotencyKey, type IdempotencyRecord } from '../sql/select-idempotency-key.js';

export interface IdempotencyOptions {
  readonly clock?: Clock;
  /** How long a key's response is replayed (default 24 hours). */
  readonly ttlMs?: number;
  /** A key whose request has not finished after this long is taken to be abandoned (default 10 minutes). */
  readonly abandonAfterMs?: number;
}

/** How long a key's response is replayed by default: 24 hours. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

/** The header of a replayed response. */
export const REPLAYED_HEADER = 'Idempotent-Replayed';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const KEY = /^[\x20-\x7e]{1,255}$/;

/** Statuses not stored: the server failed (5xx), the input was refused (422), or too many requests. */
function storable(status: number): boolean {
  return status < 500 && status !== 422 && status !== 429;
}

/** The middleware; `db` holds the `idempotency_keys` table. */
export function createIdempotency(db: Db, options: IdempotencyOptions = {}): MiddlewareHandler<AppEnv> {
  const clock = options.clock ?? systemClock;
  const ttlMs = options.ttlMs ?? IDEMPOTENCY_TTL_MS;
  const abandonAfterMs = options.abandonAfterMs ?? 10 * 60 * 1000;

  return async (c, next) => {
    const key = c.req.header('idempotency-key');
    if (!MUTATING.has(c.req.method) || key === undefined) return next();
    if (!KEY.test(key))
      throw new ApiError(
        ApiErrorCode.invalidRequest,
        'the Idempotency-Key header must be 1 to 255 printable ASCII characters (a UUID is a good key)',
      );
    const principal = c.get('principal');
    const tenantId = principal.tenantId;
    const scope = idempotencyScope(principal);
    const url = new URL(c.req.url);
    const path = `${url.pathname}${url.search}`;
    const requestHash = createHash('sha256')
      .update(`${c.req.method}\n${path}\n`)
      .update(new Uint8Array(await c.req.arrayBuffer()))
      .digest('hex');

    const now = clock.now();
    const claim = {
      tenantId,
      scope,
      key,
      method: c.req.method,
      path,
      requestHash,
      now,
      expiredBefore: now - ttlMs,
      abandonedBefore: now - abandonAfterMs,
    };
    // A record may vanish between a failed claim and the read (its request failed and released
    // it): then claim again.
    for (let attempt = 0; ; attempt++) {
      if (await claimIdempotencyKey(db, claim)) break;
      const record = await selectIdempotencyKey(db, tenantId, scope, key);
      if (record === undefined && attempt < 2) continue;
      if (record !== undefined && record.requestHash !== requestHash)
        throw new ApiError(
          ApiErrorCode.idempotencyKeyReused,
          'this Idempotency-Key was used with another request (method, path or body): use a new key for a new request',
        );
      if (record === undefined || record.status === null)
        throw new ApiError(
          ApiErrorCode.conflict,
          'a request with this Idempotency-Key is still running: retry it once that one has finished',
        );
      return replay(c, record);
    }
    try {
      await next();
    } catch (error) {
      await releaseIdempotencyKey(db, tenantId, scope, key);
      throw error;
    }
    const status = c.res.status;
    // A refusal that holds only for now (the home's holder ends, and the same request works).
    const retryable = isBatonError(c.error) && c.error.retryable;
    if (!storable(status) || retryable) {
      await releaseIdempotencyKey(db, tenantId, scope, key);
      return;
    }
    const response =
      c.get('secretInResponse') === true
        ? SECRET_NOT_KEPT
        : { status, contentType: c.res.headers.get('content-type'), body: await c.res.clone().text() };
    await completeIdempotencyKey(db, tenantId, scope, key, response, clock.now());
  };
}

/**
 * Whose keys these are: the user's, whatever session or token they came with (a retry after
 * signing in again still finds the key), else the socket's operating-system user, else the
 * credential's.
 */
function idempotencyScope(principal: Principal): string {
  if (principal.userId !== undefined) return `user:${principal.userId}`;
  if (principal.via === 'socket') return `socket:${principal.actor}`;
  return `credential:${principal.credentialId ?? principal.via}`;
}

/** What a key keeps in place of an answer that carried a secret. */
const SECRET_NOT_KEPT: IdempotentResponse = {
  status: 409,
  contentType: 'application/json',
  body: JSON.stringify({
    error: {
      code: ApiErrorCode.conflict,
      message:
        'the request with this Idempotency-Key carried a secret, which is never kept, so its answer cannot be replayed; it did its work once (a token made is listed by GET /api/tokens: revoke it if its answer was lost) — make a new request with a new key',
    },
  }),
};

function replay(c: Context<AppEnv>, record: IdempotencyRecord): Response {
  const headers: Record<string, string> = { [REPLAYED_HEADER]: 'true' };
  if (record.contentType !== null) headers['Content-Type'] = record.contentType;
  if (record.body === null || record.body === '') return c.body(null, record.status as StatusCode, headers);
  return c.body(record.body, record.status as ContentfulStatusCode, headers);
}
