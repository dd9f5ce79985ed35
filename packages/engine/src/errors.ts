/**
 * Typed errors of the engine and its adapters. Check `code` with {@link isBatonError}, never
 * `instanceof` (errors cross package and realm boundaries).
 */

/** Stable error codes. Each maps to one CLI exit code and, later, one HTTP status. */
export const ErrorCode = {
  /** A workflow file or definition is invalid; `problems` lists every problem. */
  invalidDefinition: 'INVALID_DEFINITION',
  /** Run inputs do not match the workflow's `inputs` schema. */
  invalidInput: 'INVALID_INPUT',
  /** A command's arguments are wrong (unknown flag value, unreadable file). */
  badRequest: 'BAD_REQUEST',
  runNotFound: 'RUN_NOT_FOUND',
  phaseNotFound: 'PHASE_NOT_FOUND',
  /** The action is not possible in the run's or phase's current state. */
  invalidTransition: 'INVALID_TRANSITION',
  /** Another process owns `$BATON_HOME`. */
  homeLocked: 'HOME_LOCKED',
  /** A model setting names a provider that has no key (or no server): the message says what to set. */
  providerNotConfigured: 'PROVIDER_NOT_CONFIGURED',
  /** A scripted answer (the `scripted` agent or model provider) has no fixture: the message says what entry to add. */
  fixtureMissing: 'FIXTURE_MISSING',
  /** `BATON_LLM` is not `live`, `record` or `replay`. */
  invalidLlmMode: 'INVALID_LLM_MODE',
  /** Replay found no recording of a model request in the cassette: the message names the request. */
  cassetteMiss: 'CASSETTE_MISS',
  /** A cassette file is not a Baton cassette (not JSON, another version): the message names it. */
  invalidCassette: 'INVALID_CASSETTE',
  /** `baton.config.yaml` is invalid; `problems` lists every problem. */
  invalidConfig: 'INVALID_CONFIG',
  /** The store failed (connection, constraint); usually retryable. */
  storage: 'STORAGE_ERROR',
  internal: 'INTERNAL',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** One problem found while validating, with the path it concerns (`phases[2].needs[0]`). */
export interface Problem {
  readonly path: string;
  readonly message: string;
}

export interface BatonErrorOptions {
  readonly cause?: unknown;
  readonly retryable?: boolean;
  readonly problems?: readonly Problem[];
  readonly context?: Readonly<Record<string, unknown>>;
}

/** Base error of Baton. `message` tells the user what to do next. */
export class BatonError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly problems: readonly Problem[];
  readonly context: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, options: BatonErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'BatonError';
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.problems = options.problems ?? [];
    this.context = options.context ?? {};
  }
}

/** True when `value` is a {@link BatonError} (by shape, so it works across module copies). */
export function isBatonError(value: unknown, code?: ErrorCode): value is BatonError {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { name?: unknown; code?: unknown };
  if (candidate.name !== 'BatonError' || typeof candidate.code !== 'string') return false;
  return code === undefined || candidate.code === code;
}

/** Formats problems one per line: `path: message`. */
export function formatProblems(problems: readonly Problem[]): string {
  return problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join('\n');
}
