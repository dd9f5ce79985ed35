/**
 * The one error class of `@baton/ui-schema`, its stable codes and the problem shape. Validation is
 * data first (`validateDocument`, `validatePatch` and `applyPatch` return problems); the error is
 * for callers that want an exception (`parseDocument`, `renderHtml`). Check `code` with
 * {@link isUiSchemaError}, never `instanceof`: the error may come from another copy of the package.
 */

/** Stable codes of a refused document or patch. */
export const UiSchemaErrorCode = {
  /** The document breaks the vocabulary: an unknown component or prop, a bad value, a duplicate id. */
  invalid: 'UI_SCHEMA_INVALID',
  /** Nodes (or any values) nest deeper than {@link UI_LIMITS}`.maxDepth` allows. */
  tooDeep: 'UI_SCHEMA_TOO_DEEP',
  /** Too many nodes or values, a string too long, or too much text in all. */
  tooLarge: 'UI_SCHEMA_TOO_LARGE',
  /** A patch is malformed, or one of its ops cannot apply (unknown id, duplicate id, prop not allowed). */
  patchInvalid: 'UI_PATCH_INVALID',
} as const;
export type UiSchemaErrorCode = (typeof UiSchemaErrorCode)[keyof typeof UiSchemaErrorCode];

/**
 * One problem, at a JSON path of the value that was checked (`root.children[2].href`,
 * `ops[1].prop`), with a message that says what to change. The same shape as the engine's
 * problems, so a workflow step can pass them on as they are.
 */
export interface UiProblem {
  readonly path: string;
  readonly message: string;
}

/** The outcome of a check: the validated value (a fresh copy), or why it was refused. */
export type UiResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly code: UiSchemaErrorCode; readonly problems: readonly UiProblem[] };

/** Marks the package's errors across copies of the package. */
const MARK: unique symbol = Symbol.for('@baton/ui-schema/error') as never;

/** How many problems the message lists before it says how many more there are. */
const MESSAGE_PROBLEMS = 5;

/** A refused document or patch: `code` says which kind, `problems` lists every problem found. */
export class UiSchemaError extends Error {
  readonly code: UiSchemaErrorCode;
  readonly problems: readonly UiProblem[];
  /** Never retryable: the same input is refused again; the problems say what to change. */
  readonly retryable = false;

  constructor(code: UiSchemaErrorCode, subject: string, problems: readonly UiProblem[]) {
    super(describeProblems(subject, problems));
    this.name = 'UiSchemaError';
    Object.defineProperty(this, MARK, { value: true });
    this.code = code;
    this.problems = problems;
  }
}

/** True when `value` is a {@link UiSchemaError} (of any copy of the package), and has `code` if given. */
export function isUiSchemaError(value: unknown, code?: UiSchemaErrorCode): value is UiSchemaError {
  if (typeof value !== 'object' || value === null || !(MARK in value)) return false;
  return code === undefined || (value as { readonly code?: unknown }).code === code;
}

/** `the UI document was refused: root.type: …; ids.x: … (and 3 more)`. */
function describeProblems(subject: string, problems: readonly UiProblem[]): string {
  const shown = problems
    .slice(0, MESSAGE_PROBLEMS)
    .map((problem) => (problem.path === '' ? problem.message : `${problem.path}: ${problem.message}`));
  const more = problems.length > MESSAGE_PROBLEMS ? ` (and ${problems.length - MESSAGE_PROBLEMS} more)` : '';
  return `${subject} was refused: ${shown.join('; ')}${more}`;
}
