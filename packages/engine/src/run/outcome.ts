import type { TransitionError } from '../ports/run-store.js';

/** What an input handler reports: nothing (applied), an ignore reason, or a refusal. */
export type HandlerOutcome = undefined | { readonly ignored: string } | { readonly error: TransitionError };

/** Builds a refusal: the input makes no sense in the run's current state; nothing changes. */
export function refuse(
  code: TransitionError['code'],
  message: string,
): { ok: false; error: TransitionError } {
  return { ok: false, error: { code, message } };
}
