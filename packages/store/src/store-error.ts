import { BatonError, errorCodeGuard, type BatonErrorOptions, type ErrorCodeGuard } from '@baton/engine';

/** Stable error codes of the store. The CLI maps each to an exit code. */
export const StoreErrorCode = {
  /** The database failed (connection, constraint): the driver's error is the `cause`; usually retryable. */
  storage: 'STORAGE_ERROR',
  /**
   * A content the database says is in the blob store cannot be read from it: this process has no
   * blob store, or not the one the writer used (servers on one PostgreSQL must share it).
   */
  blobMissing: 'BLOB_MISSING',
} as const;
export type StoreErrorCode = (typeof StoreErrorCode)[keyof typeof StoreErrorCode];

/** An error of the store; a {@link BatonError}, so `isBatonError` accepts it too. */
export class StoreError extends BatonError<StoreErrorCode> {
  constructor(code: StoreErrorCode, message: string, options?: BatonErrorOptions) {
    super(code, message, options);
    this.name = 'StoreError';
  }
}

/** True when `value` is a store error (with `code`, when given); checks the code, not the class. */
export const isStoreError: ErrorCodeGuard<StoreErrorCode> = errorCodeGuard(StoreErrorCode);
