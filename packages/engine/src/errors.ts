/**
 * Typed errors of Baton. The engine's own codes are here; each adapter package has its own error
 * class extending {@link BatonError} with its own code union (`RuntimeError`, `AgentsError`,
 * `StoreError`). Check `code` with {@link isBatonError} or a package's guard, never `instanceof`
 * (errors cross package and realm boundaries).
 */

/**
 * Stable error codes of the engine and of any command (a bad flag). Each maps to one CLI exit code
 * and, later, one HTTP status. The adapters' codes live with their error classes.
 */
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
  internal: 'INTERNAL',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/**
 * One problem found while validating, with the path it concerns (`phases[2].needs[0]`). `hint`
 * repeats, on its own, a suggestion the message already makes (`did you mean "needs"?`), for a
 * caller that shows it apart (the HTTP API's `problems[].hint`); printed problems show only the
 * message.
 */
export interface Problem {
  readonly path: string;
  readonly message: string;
  readonly hint?: string;
}

export interface BatonErrorOptions {
  readonly cause?: unknown;
  readonly retryable?: boolean;
  readonly problems?: readonly Problem[];
  readonly context?: Readonly<Record<string, unknown>>;
}

/** Marks every Baton error, whatever its package; `Symbol.for` so it works across module copies. */
const BATON_ERROR: unique symbol = Symbol.for('@baton/error') as never;

/**
 * Base error of Baton. `message` tells the user what to do next. `C` is the code union of the
 * package that raises it: the engine's {@link ErrorCode} by default; a package's error class
 * extends `BatonError<ItsCode>`. The code is never inferred from the argument, so
 * `new BatonError('TYPO', …)` does not compile.
 */
export class BatonError<C extends string = ErrorCode> extends Error {
  readonly code: C;
  readonly retryable: boolean;
  readonly problems: readonly Problem[];
  readonly context: Readonly<Record<string, unknown>>;

  constructor(code: NoInfer<C>, message: string, options: BatonErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'BatonError';
    Object.defineProperty(this, BATON_ERROR, { value: true });
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.problems = options.problems ?? [];
    this.context = options.context ?? {};
  }
}

/**
 * True when `value` is a {@link BatonError} of any package (by its mark, so it works across module
 * copies), and, given `code`, has that engine code. For a package's codes use its guard
 * (`isAgentsError`, `isRuntimeError`, `isStoreError`).
 */
export function isBatonError(value: unknown): value is BatonError<string>;
export function isBatonError<C extends ErrorCode>(value: unknown, code: C): value is BatonError<C>;
export function isBatonError(value: unknown, code?: string): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { [BATON_ERROR]?: unknown; code?: unknown };
  if (candidate[BATON_ERROR] !== true || typeof candidate.code !== 'string') return false;
  return code === undefined || candidate.code === code;
}

/** A type guard on one package's codes: see {@link errorCodeGuard}. */
export type ErrorCodeGuard<C extends string> = (value: unknown, code?: C) => value is BatonError<C>;

/**
 * Makes a package's type guard from its code object: `guard(value)` is true for a Baton error whose
 * code is one of `codes`, `guard(value, code)` for that code only. It checks `code`, never
 * `instanceof`.
 */
export function errorCodeGuard<C extends string>(codes: Readonly<Record<string, C>>): ErrorCodeGuard<C> {
  const known: ReadonlySet<string> = new Set(Object.values(codes));
  return (value: unknown, code?: C): value is BatonError<C> =>
    isBatonError(value) && known.has(value.code) && (code === undefined || value.code === code);
}

/** Formats problems one per line: `path: message`. */
export function formatProblems(problems: readonly Problem[]): string {
  return problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join('\n');
}
