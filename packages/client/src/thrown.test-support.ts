/** For tests of refusals: what a client call rejects with, which must be an `ApiClientError`. */
import { isApiClientError, type ApiClientError } from './api-client-error.js';

/** Awaits `call` and answers the `ApiClientError` it rejected with; fails when it resolved or threw another. */
export async function thrown(call: () => Promise<unknown>): Promise<ApiClientError> {
  const error: unknown = await call().then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isApiClientError(error)) throw new Error(`expected an ApiClientError, got ${String(error)}`);
  return error;
}
