import { isBatonError, type BatonError } from '@baton/engine';
import { StoreError, StoreErrorCode } from './store-error.js';

/** SQLSTATE classes worth retrying: connection, transaction rollback, resources, operator action. */
const RETRYABLE_CLASSES: ReadonlySet<string> = new Set(['08', '40', '53', '57']);

/** A five-character SQLSTATE, as opposed to a Node network error code (`ECONNREFUSED`) or none. */
function isSqlState(code: string | undefined): code is string {
  return code !== undefined && /^[0-9A-Z]{5}$/.test(code);
}

/**
 * Wraps a driver's error in a `STORAGE_ERROR` {@link StoreError}, keeping it as `cause`. Errors that
 * already are Baton errors (of any package) pass through unchanged.
 */
export function storageError(operation: string, cause: unknown): BatonError<string> {
  if (isBatonError(cause)) return cause;
  const sqlState =
    typeof cause === 'object' && cause !== null && 'code' in cause ? String(cause.code) : undefined;
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new StoreError(
    StoreErrorCode.storage,
    `the store failed to ${operation}: ${detail}; check the database and try again`,
    {
      cause,
      retryable: isSqlState(sqlState) ? RETRYABLE_CLASSES.has(sqlState.slice(0, 2)) : true,
      context: sqlState === undefined ? {} : { sqlState },
    },
  );
}
