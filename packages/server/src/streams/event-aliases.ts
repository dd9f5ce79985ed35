/**
 * The names other orchestrators' clients expect for Baton's run events: each frame of the run
 * stream carries them in its data as `aliases`, so a client written for another vocabulary finds
 * the events it knows without a table of its own. One table, here; `docs/server.md` shows it.
 */
import type { RunEvent } from '@baton/engine';

/** Baton's event type → the other names it goes by (an event type not listed has none). */
export const EVENT_ALIASES: Readonly<Record<string, readonly string[]>> = {
  // An attempt started (every `phase_started` is one).
  phase_started: ['agent_start', 'phase_started'],
  // Live progress of an attempt (an ephemeral frame, never replayed).
  phase_progress: ['agent_progress'],
  phase_completed: ['agent_complete', 'phase_completed', 'phase_complete'],
  phase_failed: ['phase_failed'],
  // A phase waits for a person: a gate, a human phase, a review out of rounds, a budget, an interrupt.
  waiting_for_human: ['interrupt', 'waiting_for_human'],
  run_resumed: ['resumed'],
  // The run finished: completed, failed or cancelled.
  run_completed: ['workflow_finished'],
  run_failed: ['workflow_finished'],
  run_cancelled: ['workflow_finished'],
};

/** The aliases of an event type (`[]` when it has none). */
export function eventAliases(type: RunEvent['type'] | 'phase_progress'): readonly string[] {
  return EVENT_ALIASES[type] ?? [];
}
