import type { TransitionError } from '@baton/engine';

/** A refusal: nothing was written, `message` tells the caller what to do. */
export interface Refusal {
  readonly ok: false;
  readonly error: TransitionError;
}

/** A refused transition (or delete): nothing was written, `message` tells the caller what to do. */
export function refuse(code: TransitionError['code'], message: string): Refusal {
  return { ok: false, error: { code, message } };
}

/** The refusal of an input for a run the database does not have (or the scope does not see). */
export function runNotFound(runId: string): Refusal {
  return refuse('RUN_NOT_FOUND', `no run "${runId}" — list runs with \`baton runs\``);
}
