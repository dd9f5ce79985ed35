import type { Clock } from '@baton/engine';

/** The wall clock, for production use (tests pass a fake {@link Clock}). */
export const systemClock: Clock = { now: () => Date.now() };
