/**
 * `GET /api/events`, the tenant stream: `open` makes one connection; `follow` keeps one open,
 * reconnecting after a break with the last id it handed out, so a dashboard sees every run change
 * (docs/server.md, "The tenant stream"). The cursor travels as `?lastEventId=`: a browser's fetch
 * across origins then needs no preflight for a `Last-Event-ID` header.
 */
import { ApiClientError, ApiClientErrorCode } from '../api-client-error.js';
import { readEventStream } from '../event-stream.js';
import { readResponse, type Http } from '../http.js';
import { sseFrames, type SseFrame } from '../tenant-stream-frames.js';
import type { TenantEvent } from '../types/events.js';

/** Options of {@link EventsApi.open}. */
export interface TenantStreamOptions {
  /** Resume after this id (a `TenantEvent`'s `id`); without it the stream starts at the present. */
  readonly lastEventId?: string;
  /** Closes the connection. */
  readonly signal?: AbortSignal;
  /**
   * A connection that delivers nothing — not a frame, not the server's `: keepalive` (every 15 s)
   * — for this long is taken for dead: its events end (`follow` then reconnects). A peer that
   * vanished without closing the connection would otherwise keep it waiting for ever. Default 45 000.
   */
  readonly idleMs?: number;
}

/** Options of {@link EventsApi.follow}. */
export interface FollowTenantOptions extends TenantStreamOptions {
  /**
   * Waits this long before reconnecting after a break (default 1000 ms), doubling while
   * connections fail (at most 10 s apart), or what the server's `retry:` says.
   */
  readonly retryMs?: number;
}

/** One open connection: its events, until the server or `close` ends it. */
export interface TenantStream extends AsyncIterable<TenantEvent> {
  close(): void;
}

/** `/api/events`. */
export interface EventsApi {
  /**
   * `GET /api/events`: opens the stream once. Resolves once the server accepted it; throws an
   * `ApiClientError` for a refusal (`UNAUTHENTICATED`, `INVALID_REQUEST` for a cursor it never
   * gave out — open without one and read the run list again) or no answer (`UNREACHABLE`).
   */
  open(options?: TenantStreamOptions): Promise<TenantStream>;
  /**
   * Every event from `lastEventId` (or the present) on, across reconnections, until `signal`
   * aborts (then it ends) or the server refuses (then it throws, as {@link open}).
   */
  follow(options?: FollowTenantOptions): AsyncGenerator<TenantEvent>;
}

/** How long a silent connection is trusted: three of the server's 15 s keepalives missed. */
const DEFAULT_IDLE_MS = 45_000;
const WHAT = 'GET /api/events';

/** The events API of a client sending with `http`. */
export function eventsApi(http: Http): EventsApi {
  const connect = (lastEventId: string | undefined, signal: AbortSignal): Promise<Response> =>
    http.open({
      path: ['api', 'events'],
      ...(lastEventId === undefined ? {} : { query: { lastEventId } }),
      headers: { accept: 'text/event-stream' },
      signal,
    });

  const open = async (request: TenantStreamOptions = {}): Promise<TenantStream> => {
    const abort = new AbortController();
    const onAbort = (): void => abort.abort();
    request.signal?.addEventListener('abort', onAbort, { once: true });
    let response: Response;
    try {
      response = await connect(request.lastEventId, abort.signal);
      // A refusal's body is the JSON error: read it as every method does (this throws).
      if (response.status !== 200) await readResponse<never>(response, WHAT);
      if (response.body === null)
        throw new ApiClientError(0, ApiClientErrorCode.unreachable, `${WHAT}: no body`);
    } catch (error) {
      request.signal?.removeEventListener('abort', onAbort);
      throw error;
    }
    const body = response.body;
    return {
      close: () => abort.abort(),
      async *[Symbol.asyncIterator]() {
        try {
          // Every chunk (a keepalive comment too) shows the connection alive.
          let idle: ReturnType<typeof setTimeout> | undefined;
          const watch = (): void => {
            clearTimeout(idle);
            idle = setTimeout(() => abort.abort(), request.idleMs ?? DEFAULT_IDLE_MS);
          };
          watch();
          try {
            for await (const frame of sseFrames(body, watch)) {
              const event = toEvent(frame);
              if (event !== undefined) yield event;
            }
          } finally {
            clearTimeout(idle);
          }
        } catch (error) {
          // Closed by us: the events simply end.
          if (!abort.signal.aborted) throw error;
        } finally {
          request.signal?.removeEventListener('abort', onAbort);
          abort.abort();
        }
      },
    };
  };

  async function* follow(request: FollowTenantOptions = {}): AsyncGenerator<TenantEvent> {
    let lastEventId = request.lastEventId;
    // The run stream's reader: backoff while connections fail, the server's `retry:`, a silent
    // connection replaced, a refusal thrown, and the end as soon as `signal` aborts.
    const messages = readEventStream(
      { what: WHAT, resumeFrom: () => lastEventId, open: connect },
      {
        ...(request.signal === undefined ? {} : { signal: request.signal }),
        reconnect: { initialMs: request.retryMs ?? 1000, idleMs: request.idleMs ?? DEFAULT_IDLE_MS },
      },
    );
    for await (const message of messages) {
      const event = toEvent({ event: message.event ?? 'message', id: message.id, data: message.data });
      if (event === undefined) continue;
      lastEventId = event.id;
      yield event;
    }
  }

  return { open, follow };
}

function toEvent(frame: SseFrame): TenantEvent | undefined {
  if (frame.id === undefined) return undefined;
  const data = JSON.parse(frame.data) as Record<string, unknown>;
  switch (frame.event) {
    case 'ready':
      return { type: 'ready', id: frame.id, resumed: data.resumed === true };
    case 'run':
      return { type: 'run', id: frame.id, run: data as never };
    case 'run_deleted':
      return { type: 'run_deleted', id: frame.id, runId: String(data.id) };
    default:
      // An event type this client does not know yet: skipped (its id is kept by the next one).
      return undefined;
  }
}
