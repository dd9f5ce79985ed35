import type { Transition, TransitionError } from '@baton/engine';

/** A refused transition: nothing was written, `message` tells the caller what to do. */
export function refuse(code: TransitionError['code'], message: string): Transition {
  return { ok: false, error: { code, message } };
}

/** The refusal of an input for a run the database does not have. */
export function runNotFound(runId: string): Transition {
  return refuse('RUN_NOT_FOUND', `no run "${runId}" — list runs with \`baton runs\``);
}
