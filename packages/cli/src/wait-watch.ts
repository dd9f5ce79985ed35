/**
 * Whether a run moved on while this terminal was asked about it. A driving command serves the
 * home's socket, so another command may decide at a gate, submit, cancel or pause the run while
 * the gate prompt waits for an answer here: the prompt then stops asking and the session goes on
 * (drives the run again, or finishes). What counts is the run's waits — its status and each phase
 * waiting for a person, with its attempt, wait and version — not a title or other change.
 */
import type { RunReader } from '@baton/runtime';
import type { RunState, RunStore } from '@baton/engine';

/** A signal that aborts once the run's waits differ from the ones asked about. */
export interface WaitWatch {
  readonly signal: AbortSignal;
  /** Stops watching (the store's subscription). */
  stop(): Promise<void>;
}

/** What the run waits for, as one comparable string. */
export function waitsOf(state: RunState): string {
  const waits = Object.values(state.phases)
    .filter((phase) => phase.status === 'waiting_for_human')
    .map(
      (phase) =>
        `${phase.id}#${phase.attempt}:${phase.waiting?.source ?? ''}:${phase.waiting?.since ?? ''}:${phase.waiting?.version ?? ''}`,
    )
    .sort();
  return `${state.status}|${waits.join(',')}`;
}

/** True when the run as `reader` has it now waits for something else than `state` did (or is gone). */
export async function movedOn(reader: RunReader, state: RunState): Promise<boolean> {
  const latest = await reader.getRun(state.runId);
  return latest === undefined || waitsOf(latest) !== waitsOf(state);
}

/**
 * Watches `store` and aborts the signal once the run's waits differ from `asked`'s — at once if
 * they do already. It reads the run again at each of the store's wake-ups (work was queued or a
 * run's status moved, in this process or — on PostgreSQL — another) and at each call of the
 * function `alsoOn` is given (the home's socket recorded something about the run: answering one
 * of two waits may queue nothing and move no status).
 */
export async function watchWaits(
  store: RunStore,
  asked: RunState,
  alsoOn?: (wake: () => void) => () => void,
): Promise<WaitWatch> {
  const controller = new AbortController();
  let reading = false;
  let again = false;
  const check = async (): Promise<void> => {
    if (reading) {
      again = true;
      return;
    }
    reading = true;
    try {
      do {
        again = false;
        if (await movedOn(store, asked)) controller.abort();
      } while (again && !controller.signal.aborted);
    } catch {
      // A read that failed: keep asking; the answer is checked when it is recorded.
    } finally {
      reading = false;
    }
  };
  const unsubscribe = await store.subscribe(() => void check());
  const unheard = alsoOn?.(() => void check());
  await check();
  return {
    signal: controller.signal,
    stop: async () => {
      unheard?.();
      await unsubscribe();
    },
  };
}
