import { PhaseFailureCode, type PhaseResult } from '@baton/engine';

/**
 * A failed attempt as data: `{ ok: false, error: { code, message }, retryable }`. `code` is one of
 * the documented {@link PhaseFailureCode}s.
 */
export function phaseFailure(code: PhaseFailureCode, message: string, retryable: boolean): PhaseResult {
  return { ok: false, error: { code, message }, retryable };
}

/**
 * The result of an attempt stopped by its abort signal (cancel, fail-fast, shutdown): code
 * `ABORTED`, never retried. The message carries the signal's reason when it has a readable one.
 */
export function abortedResult(signal: AbortSignal): PhaseResult {
  return phaseFailure(PhaseFailureCode.aborted, abortMessage(signal.reason), false);
}

function abortMessage(reason: unknown): string {
  if (typeof reason === 'string' && reason !== '') return `aborted: ${reason}`;
  if (reason instanceof Error && reason.name !== 'AbortError' && reason.message !== '') {
    return `aborted: ${reason.message}`;
  }
  return 'aborted';
}
