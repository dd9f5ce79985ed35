/**
 * `GET /api/events`, the tenant stream: `open` makes one connection; `follow` keeps one open,
 * reconnecting after a break with the last id it handed out, so a dashboard sees every run change
 * (docs/server.md, "The tenant stream"). The cursor travels as `?lastEventId=`: a browser's fetch
 * across origins then needs no preflight for a `Last-Event-ID` header.
 */
import { ApiClientError, ApiClientErrorCode, type ApiProblem } from '../api-client-error.js';
import type { ClientOptions } from '../http.js';
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
  /** Waits this long before reconnecting after a break (default 1000 ms). */
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

/** The events API of a client with `options`. */
export function eventsApi(options: ClientOptions): EventsApi {
  const base = options.baseUrl.replace(/\/+$/, '');
  const send = options.fetch ?? ((input, init) => fetch(input, init));

  const open = async (request: TenantStreamOptions = {}): Promise<TenantStream> => {
    const abort = new AbortController();
    const onAbort = (): void => abort.abort();
    request.signal?.addEventListener('abort', onAbort, { once: true });
    const query =
      request.lastEventId === undefined ? '' : `?lastEventId=${encodeURIComponent(request.lastEventId)}`;
    const headers: Record<string, string> = { ...options.headers, accept: 'text/event-stream' };
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    let response: Response;
    try {
      response = await send(`${base}/api/events${query}`, {
        method: 'GET',
        headers,
        signal: abort.signal,
        ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
      });
    } catch (cause) {
      request.signal?.removeEventListener('abort', onAbort);
      throw new ApiClientError(
        0,
        ApiClientErrorCode.unreachable,
        `no answer from ${base}: is the server running?`,
        {
          cause,
        },
      );
    }
    if (response.status !== 200 || response.body === null) {
      request.signal?.removeEventListener('abort', onAbort);
      throw await refusal(response);
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
    const retryMs = request.retryMs ?? 1000;
    const stopped = (): boolean => request.signal?.aborted === true;
    while (!stopped()) {
      try {
        const stream = await open({
          ...(lastEventId === undefined ? {} : { lastEventId }),
          ...(request.signal === undefined ? {} : { signal: request.signal }),
          ...(request.idleMs === undefined ? {} : { idleMs: request.idleMs }),
        });
        for await (const event of stream) {
          lastEventId = event.id;
          yield event;
        }
      } catch (error) {
        // A refusal is final; a break (no answer, a cut connection, a 5xx) is retried.
        if (error instanceof ApiClientError && error.status >= 400 && error.status < 500) throw error;
        if (stopped()) return;
      }
      await new Promise((resolve) => setTimeout(resolve, retryMs));
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

async function refusal(response: Response): Promise<ApiClientError> {
  const requestId = response.headers.get('x-request-id') ?? undefined;
  let body: { error?: { code?: string; message?: string; problems?: ApiProblem[] } } = {};
  try {
    body = (await response.json()) as typeof body;
  } catch {
    // Not the error body: the status says enough.
  }
  const error = body.error;
  return new ApiClientError(
    response.status,
    error?.code ?? ApiClientErrorCode.invalidResponse,
    error?.message ?? `GET /api/events answered ${response.status}`,
    {
      ...(error?.problems === undefined ? {} : { problems: error.problems }),
      ...(requestId === undefined ? {} : { requestId }),
    },
  );
}
