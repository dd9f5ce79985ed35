/**
 * The one error the client throws: the server's `{error: {code, message, problems?}}` with the
 * HTTP status, or — when no answer came, or not one the client can read — a code of its own.
 * Switch on `code` (with {@link isApiClientError}), never on `instanceof`: the error may come from
 * another copy of the package.
 */

/**
 * Codes the server answers with (`packages/server/src/http-errors.ts` and the engine's codes it
 * passes through), and the client's own: `UNREACHABLE` (no answer: the server is down, the socket
 * is missing, the request was aborted), `INVALID_RESPONSE` (an answer that is not the JSON the
 * API promises) and `STREAM_UNSUPPORTED` (a stream was asked for and the server answered JSON: a
 * server older than the run stream).
 */
export const ApiClientErrorCode = {
  unauthenticated: 'UNAUTHENTICATED',
  forbidden: 'FORBIDDEN',
  notFound: 'NOT_FOUND',
  methodNotAllowed: 'METHOD_NOT_ALLOWED',
  conflict: 'CONFLICT',
  invalidRequest: 'INVALID_REQUEST',
  invalidWorkflow: 'INVALID_WORKFLOW',
  workflowNotFound: 'WORKFLOW_NOT_FOUND',
  /** A version of a phase's output has no file at that path, or is not a file tree. */
  fileNotFound: 'FILE_NOT_FOUND',
  idempotencyKeyReused: 'IDEMPOTENCY_KEY_REUSED',
  payloadTooLarge: 'PAYLOAD_TOO_LARGE',
  unsupportedMediaType: 'UNSUPPORTED_MEDIA_TYPE',
  rateLimited: 'RATE_LIMITED',
  notReady: 'NOT_READY',
  hostToolsRefused: 'HOST_TOOLS_REFUSED',
  malformedJson: 'MALFORMED_JSON',
  invalidDefinition: 'INVALID_DEFINITION',
  invalidInput: 'INVALID_INPUT',
  badRequest: 'BAD_REQUEST',
  runNotFound: 'RUN_NOT_FOUND',
  phaseNotFound: 'PHASE_NOT_FOUND',
  invalidTransition: 'INVALID_TRANSITION',
  internal: 'INTERNAL',
  storage: 'STORAGE_ERROR',
  /**
   * A large content the database names is not in the server's blob store (servers on one database
   * must share it): an operator's problem, the server log says which.
   */
  blobMissing: 'BLOB_MISSING',
  /**
   * The `baton` command holding the home executes only the run it drives: what was asked needs
   * another run executed. Retry once it has ended (or use `baton serve`).
   */
  homeBusy: 'HOME_BUSY',
  unreachable: 'UNREACHABLE',
  invalidResponse: 'INVALID_RESPONSE',
  streamUnsupported: 'STREAM_UNSUPPORTED',
} as const;
/** A code the client knows; the server may add others, so `code` is any string. */
export type ApiClientErrorCode = (typeof ApiClientErrorCode)[keyof typeof ApiClientErrorCode];

/** One problem of a refused request or workflow: where, what, and a suggestion when there is one. */
export interface ApiProblem {
  readonly path: string;
  readonly message: string;
  readonly hint?: string;
}

/** Marks the client's errors across copies of the package. */
const MARK: unique symbol = Symbol.for('@baton/client/error') as never;

export interface ApiClientErrorOptions {
  readonly problems?: readonly ApiProblem[];
  /** The `X-Request-Id` of the answer: the server's log has the request under it. */
  readonly requestId?: string;
  readonly cause?: unknown;
}

/** A request the server refused (`status` ≥ 400), or that got no readable answer (`status` 0). */
export class ApiClientError extends Error {
  readonly status: number;
  readonly code: ApiClientErrorCode | (string & {});
  readonly problems?: readonly ApiProblem[];
  readonly requestId?: string;

  constructor(status: number, code: string, message: string, options: ApiClientErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ApiClientError';
    Object.defineProperty(this, MARK, { value: true });
    this.status = status;
    this.code = code;
    if (options.problems !== undefined) this.problems = options.problems;
    if (options.requestId !== undefined) this.requestId = options.requestId;
  }
}

/** True when `value` is an {@link ApiClientError} (of any copy of the package), with `code` when given. */
export function isApiClientError(value: unknown, code?: string): value is ApiClientError {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { [MARK]?: unknown; code?: unknown };
  return candidate[MARK] === true && (code === undefined || candidate.code === code);
}
