import { suggest } from '../definition/suggest.js';
import type { RunState } from '../types.js';

/** "run R has no phase "x" (did you mean "y"?)" — for an input or a fork naming an unknown phase. */
export function noSuchPhase(state: RunState, phaseId: string): string {
  const hint = suggest(phaseId, state.order);
  return `run ${state.runId} has no phase "${phaseId}"${hint === undefined ? '' : ` (did you mean "${hint}"?)`}`;
}
