/**
 * A tenant's view of the store whose changes this process's workers hear of at once: after an
 * input the API recorded, `observe` gets its transition (the workers stop the attempts a cancel
 * or a rewind aborts, instead of at their next heartbeat).
 */
import type { RunStore, Transition } from '@baton/engine';

export function observedStore(
  store: RunStore,
  observe: (runId: string, transition: Transition) => void,
): RunStore {
  return {
    ...store,
    async apply(runId, input, now, options) {
      const transition = await store.apply(runId, input, now, options);
      observe(runId, transition);
      return transition;
    },
  };
}
