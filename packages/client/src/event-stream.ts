/**
 * The Server-Sent Events reader that reconnects (`client.runs.stream`, `client.events.follow`,
 * and so the CLI and the web UI): `fetch` a stream, parse it with
 * `eventsource-parser`, and when the connection drops, or the server closes it, or it goes silent,
 * connect again from the last id the caller has — with a backoff that grows while connections
 * fail, capped, and starts from the server's `retry:` when it sent one. It is `fetch` (not the
 * browser's `EventSource`) so that it sends a token, works over the home's Unix socket, and tells
 * a refusal (401, 404: an {@link ApiClientError}, the end) from a lost connection (try again).
 * Browser-safe: no Node API.
 *
 * A partial frame left by a dropped connection is discarded (each connection has its own
 * parser), so only whole frames are handed over.
 */
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { ApiClientError, ApiClientErrorCode, isApiClientError } from './api-client-error.js';
import { readResponse } from './http.js';

/** How a stream reconnects. Delays in milliseconds. */
export interface ReconnectOptions {
  /** The first delay (until the server sends `retry:`, which replaces it). Default 250. */
  readonly initialMs?: number;
  /** The cap: a failing connection is retried at most this far apart. Default 10 000. */
  readonly maxMs?: number;
  /**
   * Connections in a row that fail (no answer, a 5xx, or closed before a single frame) before
   * the stream gives up and throws the last error. Default: never give up.
   */
  readonly attempts?: number;
  /**
   * A connection that delivers nothing — not a frame, not the server's `: keepalive` (every 15 s)
   * — for this long is taken for dead and replaced. Default 45 000.
   */
  readonly idleMs?: number;
}

/** Told when a connection opens. */
export interface StreamOpen {
  /** The id it resumed from (`Last-Event-ID`), none on a fresh start. */
  readonly lastEventId?: string;
  /** 0 for the first connection, then 1, 2… */
  readonly reconnects: number;
}

/** Told when a connection ended and another is about to be made. */
export interface StreamRetry {
  /** Why: the connection failed or broke off (`UNREACHABLE`), or a 5xx/429 answer. */
  readonly error: ApiClientError;
  /** How long until the next connection. */
  readonly delayMs: number;
}

export interface EventStreamOptions {
  readonly signal?: AbortSignal;
  readonly reconnect?: ReconnectOptions;
  onOpen?(open: StreamOpen): void;
  onRetry?(retry: StreamRetry): void;
}

/** What the reader needs of its caller. */
export interface EventStreamSource {
  /** Sends the request (`Last-Event-ID` set when `lastEventId` is given). */
  open(lastEventId: string | undefined, signal: AbortSignal): Promise<Response>;
  /** The id to resume from, read at each connection: the last one the caller took. */
  resumeFrom(): string | undefined;
  /** For messages: `GET /api/runs/r1/events`. */
  readonly what: string;
}

const DEFAULTS = { initialMs: 250, maxMs: 10_000, attempts: Number.POSITIVE_INFINITY, idleMs: 45_000 };

/** Statuses worth another try: the server is there but cannot serve now. */
function retryable(status: number): boolean {
  return status >= 500 || status === 429 || status === 408;
}

/**
 * The messages of a stream, across reconnections, until `signal` aborts (the iteration then
 * ends) or the server refuses (thrown). Leaving the loop closes the connection.
 */
export async function* readEventStream(
  source: EventStreamSource,
  options: EventStreamOptions = {},
): AsyncGenerator<EventSourceMessage, void, undefined> {
  const settings = { ...DEFAULTS, ...options.reconnect };
  const outer = options.signal;
  let serverRetry: number | undefined;
  let failures = 0;
  let reconnects = 0;
  // A function, not a narrowed read: the signal aborts while the loop awaits.
  const stopped = () => outer?.aborted === true;
  while (!stopped()) {
    const connection = new AbortController();
    const abort = () => connection.abort(outer?.reason);
    outer?.addEventListener('abort', abort, { once: true });
    let delivered = 0;
    let lastError: ApiClientError | undefined;
    try {
      const lastEventId = source.resumeFrom();
      const response = await source.open(lastEventId, connection.signal);
      if (!response.ok && retryable(response.status)) {
        await response.body?.cancel().catch(() => undefined);
        lastError = new ApiClientError(
          response.status,
          `HTTP_${response.status}`,
          `${source.what} answered ${response.status}`,
        );
      } else {
        if (!response.ok) await readResponse(response, source.what); // throws the refusal
        if (!isEventStream(response)) {
          await response.body?.cancel().catch(() => undefined);
          throw new ApiClientError(
            response.status,
            ApiClientErrorCode.streamUnsupported,
            `${source.what} answered ${response.headers.get('content-type') ?? 'no content type'}, not an event stream: the server predates the run stream`,
          );
        }
        options.onOpen?.({ ...(lastEventId === undefined ? {} : { lastEventId }), reconnects });
        const messages: EventSourceMessage[] = [];
        const parser = createParser({
          onEvent: (message) => messages.push(message),
          onRetry: (ms) => {
            serverRetry = ms;
          },
        });
        const decoder = new TextDecoder();
        if (response.body === null) throw new Error('an answer without a body');
        const reader = (response.body as ReadableStream<Uint8Array>).getReader();
        let idle: ReturnType<typeof setTimeout> | undefined;
        const watch = () => {
          clearTimeout(idle);
          idle = setTimeout(() => connection.abort(new Error('the stream went silent')), settings.idleMs);
        };
        try {
          for (;;) {
            watch();
            const { done, value } = await reader.read();
            if (done) break;
            parser.feed(decoder.decode(value, { stream: true }));
            for (const message of messages.splice(0)) {
              delivered++;
              failures = 0;
              yield message;
            }
          }
        } finally {
          clearTimeout(idle);
          // Leaving (a break, a throw, the end): the connection is closed either way.
          connection.abort();
          await reader.cancel().catch(() => undefined);
        }
        lastError = new ApiClientError(
          0,
          ApiClientErrorCode.unreachable,
          `${source.what}: the server closed the stream`,
        );
      }
    } catch (error) {
      if (stopped()) return;
      if (isApiClientError(error) && error.code !== ApiClientErrorCode.unreachable) throw error;
      lastError = isApiClientError(error)
        ? error
        : new ApiClientError(0, ApiClientErrorCode.unreachable, `${source.what}: the stream broke off`, {
            cause: error,
          });
    } finally {
      outer?.removeEventListener('abort', abort);
    }
    if (delivered === 0) failures++;
    if (failures >= settings.attempts) throw lastError;
    const base = serverRetry ?? settings.initialMs;
    const delayMs = Math.min(settings.maxMs, failures === 0 ? base : base * 2 ** (failures - 1));
    options.onRetry?.({ error: lastError, delayMs });
    await sleep(delayMs, outer);
    reconnects++;
  }
}

function isEventStream(response: Response): boolean {
  return (response.headers.get('content-type') ?? '').toLowerCase().startsWith('text/event-stream');
}

/** Waits `ms`, or less when `signal` aborts. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted === true) {
      resolve();
      return;
    }
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
