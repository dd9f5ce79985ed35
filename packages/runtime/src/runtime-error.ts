import { BatonError, errorCodeGuard, type BatonErrorOptions, type ErrorCodeGuard } from '@baton/engine';

/** Stable error codes of the runtime. The CLI maps each to an exit code. */
export const RuntimeErrorCode = {
  /** Another process owns `$BATON_HOME`: the message names its pid (`context.ownerPid`). */
  homeLocked: 'HOME_LOCKED',
  /**
   * The process holding `$BATON_HOME` executes only the run it drives (a `baton run`), and the
   * request would need another run executed: the message names the holder, its pid and its run.
   */
  homeBusy: 'HOME_BUSY',
} as const;
export type RuntimeErrorCode = (typeof RuntimeErrorCode)[keyof typeof RuntimeErrorCode];

/** An error of the runtime; a {@link BatonError}, so `isBatonError` accepts it too. */
export class RuntimeError extends BatonError<RuntimeErrorCode> {
  constructor(code: RuntimeErrorCode, message: string, options?: BatonErrorOptions) {
    super(code, message, options);
    this.name = 'RuntimeError';
  }
}

/** True when `value` is a runtime error (with `code`, when given); checks the code, not the class. */
export const isRuntimeError: ErrorCodeGuard<RuntimeErrorCode> = errorCodeGuard(RuntimeErrorCode);
