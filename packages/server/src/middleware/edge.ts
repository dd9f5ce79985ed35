/**
 * The edge of every request, in order: a request id and a child logger (one line per request,
 * never a query string, header, cookie or body), security headers, CORS for the configured
 * origins only, the same-origin check of mutating requests, the body limit, and the refusal of NUL
 * characters.
 */
import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { secureHeaders } from 'hono/secure-headers';
import type { Logger } from 'pino';
import type { AppEnv } from '../app-env.js';
import { ApiError, ApiErrorCode } from '../http-errors.js';

export interface EdgeOptions {
  readonly log: Logger;
  /** Origins other than the server's own that browsers may call from (CORS); none by default. */
  readonly allowedOrigins?: readonly string[];
  /** Largest request body in bytes (default 5 MiB); a larger one is 413. */
  readonly maxBodyBytes?: number;
}

const DEFAULT_MAX_BODY_BYTES = 5 * 1024 * 1024;

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

function requestLog(log: Logger): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const incoming = c.req.header('x-request-id');
    const requestId = incoming !== undefined && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    const child = log.child({ reqId: requestId });
    c.set('requestId', requestId);
    c.set('log', child);
    const started = performance.now();
    await next();
    // On the answer's headers, not `c.header`: that would copy the finished answer (and its body).
    c.res.headers.set('X-Request-Id', requestId);
    child.info(
      {
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: Math.round(performance.now() - started),
      },
      'request',
    );
  };
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CORS for the `allowed` origins, with credentials, exposing `X-Request-Id`. A preflight
 * (`OPTIONS`) is Hono's `cors`; on other requests the same headers are added to the answer once
 * it is made — Hono's `cors` sets them before, which makes the route's answer be copied (its body
 * read back through a stream) to merge them.
 */
function corsHeaders(allowed: ReadonlySet<string>): MiddlewareHandler<AppEnv> {
  const preflight = cors({
    origin: (origin) => (allowed.has(origin) ? origin : null),
    credentials: true,
    allowHeaders: ['Content-Type', 'Authorization', 'Idempotency-Key', 'Last-Event-ID'],
    exposeHeaders: ['X-Request-Id'],
  });
  return async (c, next) => {
    if (c.req.method === 'OPTIONS') return preflight(c, next);
    await next();
    const origin = c.req.header('origin');
    const headers = c.res.headers;
    if (origin !== undefined && allowed.has(origin)) headers.set('Access-Control-Allow-Origin', origin);
    headers.set('Access-Control-Allow-Credentials', 'true');
    headers.set('Access-Control-Expose-Headers', 'X-Request-Id');
    headers.append('Vary', 'Origin');
  };
}

/** Hono's `bodyLimit`, for requests that may carry a body: a GET's is never read. */
function limitBody(maxSize: number): MiddlewareHandler<AppEnv> {
  const limit = bodyLimit({
    maxSize,
    onError: () => {
      throw new ApiError(ApiErrorCode.payloadTooLarge, `the request body is larger than ${maxSize} bytes`);
    },
  });
  // Asking for the body builds the whole Web Request (headers, an AbortController) for it.
  return (c, next) => (SAFE_METHODS.has(c.req.method) ? next() : limit(c, next));
}

/**
 * Refuses (403) a mutating request a browser sent from another origin: SameSite=Lax cookies still
 * go along from another port of the same host, so the cookie alone proves nothing. A request with
 * neither `Origin` nor `Sec-Fetch-Site` (curl, scripts, the CLI) passes; its credentials decide.
 */
function sameOrigin(allowed: ReadonlySet<string>): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!SAFE_METHODS.has(c.req.method)) {
      const origin = c.req.header('origin');
      const site = c.req.header('sec-fetch-site');
      const own = new URL(c.req.url).origin;
      const allowedOrigin = origin !== undefined && (origin === own || allowed.has(origin));
      const crossSite = site !== undefined && site !== 'same-origin' && site !== 'none';
      if ((origin !== undefined && !allowedOrigin) || (crossSite && !allowedOrigin))
        throw new ApiError(
          ApiErrorCode.forbidden,
          `a request from another origin (${origin ?? site}) may not change anything here`,
        );
    }
    await next();
  };
}

const NUL_REFUSED = 'NUL characters (U+0000) are not accepted';
/** A JSON `\u0000` escape: after an even number of backslashes (an odd one would escape the `\`). */
const JSON_NUL_ESCAPE = /(?:^|[^\\])(?:\\\\)*\\u0000/;

/**
 * Routes that check their body for NUL themselves, more closely: a workflow upload answers
 * `422 INVALID_WORKFLOW` naming the file, as `baton validate` does, and finds YAML's `\0` too.
 */
const OWN_NUL_CHECK: ReadonlySet<string> = new Set(['POST /api/workflows']);

/**
 * Refuses (422) a request whose decoded path or query, or whose body, holds a NUL character (a raw
 * byte or the JSON escape `\u0000`): no text Baton keeps may hold one (PostgreSQL's text cannot),
 * so it is refused here rather than failing in the database.
 */
function refuseNul(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const url = new URL(c.req.url);
    let path = url.pathname;
    try {
      path = decodeURIComponent(path);
    } catch {
      // A malformed escape is the router's to refuse; only a decodable `%00` matters here.
    }
    let where: string | undefined;
    if (path.includes('\u0000')) where = 'path';
    for (const [name, value] of url.searchParams)
      if (where === undefined && (name.includes('\u0000') || value.includes('\u0000')))
        where = `query.${name}`;
    if (
      where === undefined &&
      !SAFE_METHODS.has(c.req.method) &&
      !OWN_NUL_CHECK.has(`${c.req.method} ${url.pathname}`)
    ) {
      const body = await c.req.text();
      if (body.includes('\u0000') || JSON_NUL_ESCAPE.test(body)) where = 'body';
    }
    if (where !== undefined)
      throw new ApiError(ApiErrorCode.invalidRequest, `${where}: ${NUL_REFUSED}`, {
        problems: [{ path: where, message: NUL_REFUSED }],
      });
    await next();
  };
}

export function edgeMiddleware(options: EdgeOptions): MiddlewareHandler<AppEnv>[] {
  const allowed = new Set(options.allowedOrigins ?? []);
  const maxSize = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  return [
    requestLog(options.log),
    secureHeaders({ crossOriginResourcePolicy: 'same-origin' }),
    corsHeaders(allowed),
    sameOrigin(allowed),
    limitBody(maxSize),
    refuseNul(),
  ];
}
