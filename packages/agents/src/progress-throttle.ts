import type { PhaseProgress } from '@baton/engine';

/** At most this many progress updates per second per attempt. */
const PROGRESS_PER_SECOND = 10;

/**
 * Passes on at most one update per `1000 / perSecond` ms; the latest update in between is kept
 * and sent by `flush` (or with the next update once the interval has passed), so the last state
 * is never lost.
 */
export function throttleProgress(
  send: (update: PhaseProgress) => void,
  now: () => number = Date.now,
  perSecond = PROGRESS_PER_SECOND,
): { readonly push: (update: PhaseProgress) => void; readonly flush: () => void } {
  const interval = 1000 / perSecond;
  let last = -Infinity;
  let pending: PhaseProgress | undefined;
  return {
    push(update) {
      pending = update;
      if (now() - last < interval) return;
      last = now();
      pending = undefined;
      send(update);
    },
    flush() {
      if (pending === undefined) return;
      last = now();
      const update = pending;
      pending = undefined;
      send(update);
    },
  };
}
