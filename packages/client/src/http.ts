/**
 * The transport every method uses: builds the URL (path segments encoded, query values that are
 * undefined left out), sends JSON or text with the token and the idempotency key, and reads the
 * answer — its JSON, nothing for 204, an {@link ApiClientError} for anything else; or, for an
 * answer that is not JSON, hands over the response once it succeeded.
 */
import { ApiClientError, ApiClientErrorCode, type ApiProblem } from './api-client-error.js';

/** What the client calls to send a request: the global `fetch`, or one of the same shape. */
export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** Options of `createClient`. */
export interface ClientOptions {
  /** Where the server is: `http://127.0.0.1:7080` (a path prefix is kept). Over a Unix socket: `http://localhost` with `fetch: unixSocketFetch(path)`. */
  readonly baseUrl: string;
  /** A token (`POST /api/tokens`), sent as `Authorization: Bearer …`. Without it a browser's session cookie decides. */
  readonly token?: string;
  /** Default: the global `fetch`. */
  readonly fetch?: FetchLike;
  /** Headers sent with every request (the CLI names who acts over the home's socket: `X-Baton-Actor`). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Cookies across origins (`include`) for a web UI served from another origin; default the fetch's own. */
  readonly credentials?: 'omit' | 'same-origin' | 'include';
}

/** Options every method takes. */
export interface RequestOptions {
  /** Aborts the request (then the method throws `UNREACHABLE`). */
  readonly signal?: AbortSignal;
}

/** Options of methods that change something. */
export interface MutationOptions extends RequestOptions {
  /** Sent as `Idempotency-Key`: the server answers a repeat with the first answer instead of acting twice. */
  readonly idempotencyKey?: string;
}

/** Query values; undefined ones are left out. */
type Query = Readonly<Record<string, string | number | boolean | undefined>>;

/** One request. `body` is sent as JSON unless `text` (with its content type) is given. */
interface HttpRequest {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Segments joined with `/`; each is encoded (`['api', 'runs', id]`). */
  readonly path: readonly string[];
  readonly query?: Query;
  readonly body?: unknown;
  readonly text?: { readonly content: string; readonly contentType: string };
  readonly options?: MutationOptions;
}

/** A `GET` whose answer is read as it arrives (an event stream): extra headers, its own signal. */
interface OpenRequest {
  readonly path: readonly string[];
  readonly query?: Query;
  readonly headers: Readonly<Record<string, string>>;
  readonly signal: AbortSignal;
}

/**
 * Sends requests for one client: answers the body, or (`withStatus`) the status too, or (`raw`)
 * the response itself when it succeeded — for answers that are not JSON (a document, a zip), read
 * by the caller.
 */
export interface Http {
  <T>(request: HttpRequest): Promise<T>;
  withStatus<T>(request: HttpRequest): Promise<{ readonly status: number; readonly body: T }>;
  raw(request: HttpRequest): Promise<Response>;
  /**
   * Sends a `GET` with the client's token, headers and credentials and answers the `Response`
   * unread, whatever its status (`UNREACHABLE` when none came). The stream reader uses it.
   */
  open(request: OpenRequest): Promise<Response>;
}

/** The transport of a client with `options`. */
export function createHttp(options: ClientOptions): Http {
  const base = options.baseUrl.replace(/\/+$/, '');
  const send = options.fetch ?? ((input, init) => fetch(input, init));
  const urlOf = (path: readonly string[], query: Query | undefined) =>
    `${base}/${path.map(encodeURIComponent).join('/')}${queryString(query)}`;
  const fetchOrThrow = async (url: string, init: RequestInit): Promise<Response> => {
    try {
      return await send(url, {
        ...init,
        ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
      });
    } catch (cause) {
      throw new ApiClientError(
        0,
        ApiClientErrorCode.unreachable,
        `no answer from ${base} (${cause instanceof Error ? cause.message : String(cause)}): is the server running (baton serve)?`,
        { cause },
      );
    }
  };
  const sendRequest = async (request: HttpRequest, accept: string): Promise<Response> => {
    const url = urlOf(request.path, request.query);
    const headers: Record<string, string> = { ...options.headers, accept };
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    if (request.options?.idempotencyKey !== undefined)
      headers['idempotency-key'] = request.options.idempotencyKey;
    let payload: string | undefined;
    if (request.text !== undefined) {
      headers['content-type'] = request.text.contentType;
      payload = request.text.content;
    } else if (request.body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(request.body);
    }
    return fetchOrThrow(url, {
      method: request.method,
      headers,
      ...(payload === undefined ? {} : { body: payload }),
      ...(request.options?.signal === undefined ? {} : { signal: request.options.signal }),
    });
  };
  const what = (request: HttpRequest) => `${request.method} /${request.path.join('/')}`;
  const withStatus = async <T>(request: HttpRequest): Promise<{ status: number; body: T }> => {
    const response = await sendRequest(request, 'application/json');
    const body = await readResponse<T>(response, what(request));
    return { status: response.status, body };
  };
  const raw = async (request: HttpRequest): Promise<Response> => {
    const response = await sendRequest(request, '*/*');
    // A refusal's body is the JSON error: read it as every method does (this throws).
    if (!response.ok) await readResponse<never>(response, what(request));
    return response;
  };
  const http = async <T>(request: HttpRequest): Promise<T> => (await withStatus<T>(request)).body;
  const open = (request: OpenRequest): Promise<Response> => {
    const headers: Record<string, string> = { ...options.headers, ...request.headers };
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    return fetchOrThrow(urlOf(request.path, request.query), {
      method: 'GET',
      headers,
      signal: request.signal,
    });
  };
  return Object.assign(http, { withStatus, raw, open });
}

function queryString(query: Query | undefined): string {
  if (query === undefined) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query))
    if (value !== undefined) params.append(key, String(value));
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

/**
 * The JSON of an answer; for a status ≥ 400 the {@link ApiClientError} it carries is thrown
 * (`INVALID_RESPONSE` for a 2xx that is not JSON, `UNREACHABLE` when the body broke off).
 */
export async function readResponse<T>(response: Response, what: string): Promise<T> {
  const requestId = response.headers.get('x-request-id') ?? undefined;
  const withId = requestId === undefined ? {} : { requestId };
  let text: string;
  try {
    text = await response.text();
  } catch (cause) {
    throw new ApiClientError(0, ApiClientErrorCode.unreachable, `the answer to ${what} broke off`, {
      cause,
      ...withId,
    });
  }
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch (cause) {
    if (response.ok) {
      throw new ApiClientError(
        response.status,
        ApiClientErrorCode.invalidResponse,
        `the answer to ${what} is not JSON`,
        {
          cause,
          ...withId,
        },
      );
    }
  }
  if (response.ok) return json as T;
  const error = errorOf(json);
  throw new ApiClientError(
    response.status,
    error?.code ?? `HTTP_${response.status}`,
    error?.message ?? `${what} failed: HTTP ${response.status} ${response.statusText}`.trim(),
    { ...withId, ...(error?.problems === undefined ? {} : { problems: error.problems }) },
  );
}

/** The `error` of an error body, when it has the shape the API promises. */
function errorOf(json: unknown): { code: string; message: string; problems?: ApiProblem[] } | undefined {
  if (typeof json !== 'object' || json === null) return undefined;
  const error = (json as { error?: unknown }).error;
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, message, problems } = error as { code?: unknown; message?: unknown; problems?: unknown };
  if (typeof code !== 'string' || typeof message !== 'string') return undefined;
  return { code, message, ...(Array.isArray(problems) ? { problems: problems as ApiProblem[] } : {}) };
}
