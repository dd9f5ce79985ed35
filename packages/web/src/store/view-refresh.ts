/**
 * Which events change what only the server's view of a run shows — an output's content, model
 * usage and cost, the decisions a waiting phase takes, the title — so that the view is read again
 * after them. The switch is exhaustive: a new event type does not compile until it is sorted here.
 */
import type { RunEvent } from '@baton/engine';

/** True when the server's view must be read again to show `event`'s effect. */
export function refreshesView(event: RunEvent): boolean {
  switch (event.type) {
    case 'run_created':
    case 'phase_copied':
    case 'phase_output':
    case 'phase_completed':
    case 'phase_failed':
    case 'waiting_for_human':
    case 'human_decision':
    case 'review_verdict':
    case 'phase_in_review':
    case 'phase_reset':
    case 'run_rewound':
    case 'budget_raised':
    case 'run_titled':
    case 'run_completed':
    case 'run_failed':
    case 'run_cancelled':
    case 'run_reopened':
    case 'map_expanded':
      return true;
    case 'phase_ready':
    case 'phase_started':
    case 'phase_skipped':
    case 'phase_cancelled':
    case 'tool_called':
    case 'phase_warning':
    case 'run_paused':
    case 'run_resumed':
      return false;
    default:
      return unknownEvent(event);
  }
}

/** Unreachable for the engine's events; an event of a newer server refreshes to be safe. */
function unknownEvent(event: never): boolean {
  void event;
  return true;
}
