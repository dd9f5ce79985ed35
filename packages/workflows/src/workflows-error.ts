import { BatonError, errorCodeGuard, type BatonErrorOptions, type ErrorCodeGuard } from '@baton/engine';

/** Stable error codes of the built-in workflows' registry. The CLI maps each to an exit code. */
export const WorkflowsErrorCode = {
  /** No built-in workflow of that name: the message lists the ones there are. */
  builtinNotFound: 'BUILTIN_NOT_FOUND',
  /**
   * A built-in workflow does not load (its definition or fixtures are invalid): a bug in Baton,
   * not in the caller's input; `problems` says what is wrong.
   */
  builtinInvalid: 'BUILTIN_INVALID',
} as const;
export type WorkflowsErrorCode = (typeof WorkflowsErrorCode)[keyof typeof WorkflowsErrorCode];

/** An error of the registry; a {@link BatonError}, so `isBatonError` accepts it too. */
export class WorkflowsError extends BatonError<WorkflowsErrorCode> {
  constructor(code: WorkflowsErrorCode, message: string, options?: BatonErrorOptions) {
    super(code, message, options);
    this.name = 'WorkflowsError';
  }
}

/** True when `value` is an error of the registry (with `code`, when given); checks the code. */
export const isWorkflowsError: ErrorCodeGuard<WorkflowsErrorCode> = errorCodeGuard(WorkflowsErrorCode);
