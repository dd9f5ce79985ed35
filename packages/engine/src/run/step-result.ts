/** What `step` returns (`step.ts`). */
import type { TransitionError } from '../ports/run-store.js';
import type { Command, RunEvent, RunState } from '../types.js';

/** The outcome of one step. `ok: false` changed nothing. */
export type StepResult =
  | {
      readonly ok: true;
      readonly state: RunState;
      /** New events, numbered `state.seq + 1 …` of the previous state. */
      readonly events: RunEvent[];
      readonly commands: Command[];
      /** Set when the input was stale or a duplicate; there are no events. */
      readonly ignored?: string;
    }
  | { readonly ok: false; readonly error: TransitionError };
