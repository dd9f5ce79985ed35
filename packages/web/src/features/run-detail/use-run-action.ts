/**
 * Runs one of the run page's actions (pause, cancel, retry, approve, fork): one at a time, its
 * answer — the run as it is now — into the store at once, its failure kept as a message a person
 * can read. The stream then catches up with the events the action caused.
 */
import { useCallback, useState } from 'react';
import type { RunSnapshot } from '@baton/client';
import { messageOf } from '../../app/session.js';
import type { RunStore } from '../../store/run-store.js';

export interface RunAction {
  /** The action under way (its name), or null. */
  readonly busy: string | null;
  readonly error: string | null;
  /** Starts `name`; `then` receives the answer instead of the store when given (a fork's new run). */
  run(name: string, act: () => Promise<RunSnapshot>, then?: (view: RunSnapshot) => void): void;
  clearError(): void;
}

export function useRunAction(store: RunStore): RunAction {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(
    (name: string, act: () => Promise<RunSnapshot>, then?: (view: RunSnapshot) => void) => {
      setBusy(name);
      setError(null);
      act()
        .then((view) => (then === undefined ? store.getState().applyActionResponse(view) : then(view)))
        .catch((cause: unknown) => setError(messageOf(cause)))
        .finally(() => setBusy(null));
    },
    [store],
  );
  const clearError = useCallback(() => setError(null), []);
  return { busy, error, run, clearError };
}
