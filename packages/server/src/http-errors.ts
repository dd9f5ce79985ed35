/**
 * The one table from error codes to HTTP statuses, and the one error body: `{error: {code,
 * message, problems?}}`. Codes are stable (the CLI and the web UI switch on them); messages say
 * what to do next. Every package's codes map here; an unknown code is a 500. Also the entry
 * `@baton/server/errors`, for the CLI, which exits as the API would answer without loading the API.
 */
import { BatonError, errorCodeGuard, isBatonError, type Problem } from '@baton/engine';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** Codes raised by the HTTP edge itself (the engine's and the adapters' codes pass through). */
export const ApiErrorCode = {
  /** No session or token, or one that expired or was revoked. */
  unauthenticated: 'UNAUTHENTICATED',
  /** Authenticated, but not allowed (another origin, a wrong setup token, not an owner). */
  forbidden: 'FORBIDDEN',
  /** No such route or resource (another tenant's resource reads as missing too). */
  notFound: 'NOT_FOUND',
  methodNotAllowed: 'METHOD_NOT_ALLOWED',
  /** The resource exists already, or the request conflicts with its state (setup done twice). */
  conflict: 'CONFLICT',
  /** A body, query or parameter failed its schema; `problems` names each field. */
  invalidRequest: 'INVALID_REQUEST',
  /** A workflow definition is invalid; `problems` lists each problem as `baton validate` does. */
  invalidWorkflow: 'INVALID_WORKFLOW',
  /** The same `Idempotency-Key` came with another body. */
  idempotencyKeyReused: 'IDEMPOTENCY_KEY_REUSED',
  payloadTooLarge: 'PAYLOAD_TOO_LARGE',
  unsupportedMediaType: 'UNSUPPORTED_MEDIA_TYPE',
  rateLimited: 'RATE_LIMITED',
  /** A workflow's tool phases would run on the server's machine, which this server refuses here. */
  hostToolsRefused: 'HOST_TOOLS_REFUSED',
  /** The database is not reachable or not migrated yet. */
  notReady: 'NOT_READY',
  /** The request body is not JSON (a JSON body that does not match its schema is INVALID_REQUEST). */
  malformedJson: 'MALFORMED_JSON',
  /** No such workflow (or version) for this tenant. */
  workflowNotFound: 'WORKFLOW_NOT_FOUND',
  /** A version of a phase's output has no file at that path (or is not a file tree). */
  fileNotFound: 'FILE_NOT_FOUND',
} as const;
export type ApiErrorCode = (typeof ApiErrorCode)[keyof typeof ApiErrorCode];

/** An error the edge raises; `status` comes from the table below. */
export class ApiError extends BatonError<ApiErrorCode> {}

export const isApiError = errorCodeGuard(ApiErrorCode);

const STATUS: Readonly<Record<string, ContentfulStatusCode>> = {
  // The edge.
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  HOST_TOOLS_REFUSED: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  INVALID_REQUEST: 422,
  INVALID_WORKFLOW: 422,
  IDEMPOTENCY_KEY_REUSED: 422,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  NOT_READY: 503,
  MALFORMED_JSON: 400,
  WORKFLOW_NOT_FOUND: 404,
  FILE_NOT_FOUND: 404,
  // The engine.
  INVALID_DEFINITION: 422,
  INVALID_INPUT: 422,
  BAD_REQUEST: 400,
  RUN_NOT_FOUND: 404,
  PHASE_NOT_FOUND: 404,
  INVALID_TRANSITION: 409,
  INTERNAL: 500,
  // The runtime: the home's holder executes only its own run (a driving `baton run`).
  HOME_BUSY: 409,
  // The store.
  STORAGE_ERROR: 503,
  // A content the database names is not in this server's blob store: the deployment is wrong.
  BLOB_MISSING: 500,
};

/** The HTTP status of an error code (500 for a code this table does not know). */
export function statusOf(code: string): ContentfulStatusCode {
  return STATUS[code] ?? 500;
}

/** The body every error response has. */
export interface ErrorBody {
  readonly error: {
    readonly code: string;
    readonly message: string;
    readonly problems?: readonly ProblemBody[];
  };
}

/** A problem in an error body: where (a JSON path or a field) and what, with a hint when there is one. */
interface ProblemBody {
  readonly path: string;
  readonly message: string;
  readonly hint?: string;
}

/** What a client is told of a storage error; its own text (the database's words) goes to the log only. */
const STORAGE_MESSAGE = 'the database could not answer; try again (the server log has the details)';

/**
 * The response to an error: a Baton error keeps its code and message (and problems); Hono's own
 * refusals of a request (a body that is not JSON, another media type) get a code of their own;
 * a 5xx (a storage error too) says nothing of its cause, which the log has; anything else is an
 * INTERNAL error.
 */
export function errorResponse(error: unknown): { status: ContentfulStatusCode; body: ErrorBody } {
  if (error instanceof HTTPException && error.status < 500) return refusal(error);
  if (isBatonError(error)) {
    const problems = error.problems.length > 0 ? { problems: error.problems.map(problemBody) } : {};
    const status = statusOf(error.code);
    const message =
      error.code === 'STORAGE_ERROR'
        ? STORAGE_MESSAGE
        : status >= 500
          ? 'internal error — the server log has the details'
          : error.message;
    return { status, body: { error: { code: error.code, message, ...problems } } };
  }
  return {
    status: 500,
    body: { error: { code: 'INTERNAL', message: 'internal error — the server log has the details' } },
  };
}

/** A request Hono refused before any handler ran. */
function refusal(error: HTTPException): { status: ContentfulStatusCode; body: ErrorBody } {
  if (error.status === 415)
    return edgeError(
      ApiErrorCode.unsupportedMediaType,
      'send the body as JSON (Content-Type: application/json)',
    );
  if (error.status === 400 && /json/i.test(error.message))
    return edgeError(
      ApiErrorCode.malformedJson,
      'the request body is not valid JSON; send a JSON object with Content-Type: application/json',
    );
  return { status: 400, body: { error: { code: 'BAD_REQUEST', message: error.message } } };
}

function edgeError(code: ApiErrorCode, message: string): { status: ContentfulStatusCode; body: ErrorBody } {
  return { status: statusOf(code), body: { error: { code, message } } };
}

function problemBody(problem: Problem & { hint?: string }): ProblemBody {
  return {
    path: problem.path,
    message: problem.message,
    ...(problem.hint === undefined ? {} : { hint: problem.hint }),
  };
}
