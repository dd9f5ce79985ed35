/**
 * A run as the web UI holds it: the server's view of it (what only the server knows: usage,
 * outputs, the decisions a waiting phase takes) beside the engine's state folded from its log
 * (statuses, attempts, the graph), which every event of the stream moves forward.
 */
import type { RunSnapshot } from '@baton/client';
import type { RunEvent, RunState } from '@baton/engine';

export interface LiveRun {
  /** `GET /api/runs/:id` (or an action's answer): current as of `Number(view.lastEventId)`. */
  readonly view: RunSnapshot;
  /** The fold of the run's events 1…`state.seq` with the engine's own `applyEvent`. */
  readonly state: RunState;
  /** When each running attempt last showed activity (ISO 8601), from the stream's `activity` frames. */
  readonly activity: Readonly<Record<string, string>>;
  /** The run's log, events 1…`state.seq` in order (the timeline reads it); absent when not read. */
  readonly log?: readonly RunEvent[];
}

/** How the run's stream is doing: shown as live (`open`), reconnecting (`connecting`) or offline. */
export type ConnectionStatus = 'connecting' | 'open' | 'closed' | 'error';

/** The seq the view reflects. */
export function viewSeq(view: RunSnapshot): number {
  return Number(view.lastEventId);
}
