/** Helpers shared by the parts of the `RunStore` contract suite. */
import type { Transition } from '../ports/run-store.js';
import type { RunEvent } from '../types.js';

/** A moment far from zero, so that time arithmetic bugs show. */
export const T0 = 1_700_000_000_000;

export function expectOk(transition: Transition): Extract<Transition, { ok: true }> {
  if (!transition.ok)
    throw new Error(`expected ok, got ${transition.error.code}: ${transition.error.message}`);
  return transition;
}

export function seqs(events: readonly RunEvent[]): number[] {
  return events.map((event) => event.seq);
}

export function oneToN(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i + 1);
}

export function taskKey(task: { runId: string; phaseId: string; attempt: number }): string {
  return `${task.runId}/${task.phaseId}#${task.attempt}`;
}
