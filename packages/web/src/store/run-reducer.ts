/**
 * The run page's state and its pure reducer (seed 004's store contract). Events are folded with
 * the engine's own `applyEvent`, so the UI's statuses are the engine's by construction:
 *
 * - idempotent by seq: an event at or below the folded seq (a duplicate, an old one) changes
 *   nothing — the same state object comes back;
 * - a gap (an event past the next seq) or an event the fold refuses leaves the state as it was and
 *   sets `resyncNeeded`: the stream hook reads the run again (snapshot and log) and carries on;
 * - an action's answer (`applyActionResponse`) replaces the server's view at once when it is newer;
 *   the stream's events then bring the folded state up to it (see `selectors.ts`).
 */
import type { RunSnapshot, RunStreamProgress } from '@baton/client';
import { applyEvent as foldEvent, type RunEvent } from '@baton/engine';
import { viewSeq, type ConnectionStatus, type LiveRun } from './live-run.js';
import { refreshesView } from './view-refresh.js';

export interface RunUiState {
  readonly snapshot: LiveRun | null;
  readonly selectedPhaseId: string | null;
  readonly connectionStatus: ConnectionStatus;
  /** The seq of the last event folded (the stream resumes after it); null before a snapshot. */
  readonly lastEventId: number | null;
  /** An event could not be folded in order: the run must be read again. */
  readonly resyncNeeded: boolean;
  /** Events since the view was read change what it shows: read it again. */
  readonly viewStale: boolean;
  /**
   * The latest live progress of each phase's running attempt (an agent typing), from the stream's
   * `progress` frames: ephemeral, never replayed, dropped once a newer attempt starts.
   */
  readonly progress: Readonly<Record<string, RunStreamProgress>>;
}

export type RunAction =
  | { readonly type: 'setSnapshot'; readonly snapshot: LiveRun }
  | { readonly type: 'selectPhase'; readonly phaseId: string | null }
  | { readonly type: 'applyEvent'; readonly event: RunEvent }
  | { readonly type: 'setConnectionStatus'; readonly status: ConnectionStatus }
  | { readonly type: 'applyActionResponse'; readonly view: RunSnapshot }
  | { readonly type: 'setView'; readonly view: RunSnapshot }
  | {
      readonly type: 'activity';
      readonly phaseId: string;
      readonly lastActivityAt: string;
    }
  | { readonly type: 'progress'; readonly progress: RunStreamProgress };

export const INITIAL_RUN_UI_STATE: RunUiState = {
  snapshot: null,
  selectedPhaseId: null,
  connectionStatus: 'connecting',
  lastEventId: null,
  resyncNeeded: false,
  viewStale: false,
  progress: {},
};

export function runReducer(state: RunUiState, action: RunAction): RunUiState {
  switch (action.type) {
    case 'setSnapshot':
      return {
        ...state,
        snapshot: action.snapshot,
        lastEventId: action.snapshot.state.seq,
        resyncNeeded: false,
        viewStale: viewSeq(action.snapshot.view) < action.snapshot.state.seq,
        selectedPhaseId:
          state.selectedPhaseId !== null && action.snapshot.state.phases[state.selectedPhaseId] !== undefined
            ? state.selectedPhaseId
            : null,
      };
    case 'selectPhase':
      return state.selectedPhaseId === action.phaseId ? state : { ...state, selectedPhaseId: action.phaseId };
    case 'applyEvent':
      return applyRunEvent(state, action.event);
    case 'setConnectionStatus':
      return state.connectionStatus === action.status ? state : { ...state, connectionStatus: action.status };
    case 'applyActionResponse':
    case 'setView':
      return applyView(state, action.view);
    case 'activity': {
      const live = state.snapshot;
      if (live === null || live.activity[action.phaseId] === action.lastActivityAt) return state;
      const activity = { ...live.activity, [action.phaseId]: action.lastActivityAt };
      return { ...state, snapshot: { ...live, activity } };
    }
    case 'progress': {
      const { phaseId, attempt, at } = action.progress;
      const held = state.progress[phaseId];
      // An older attempt's frame, or one older than the one held, changes nothing.
      if (held !== undefined && (attempt < held.attempt || (attempt === held.attempt && at < held.at)))
        return state;
      return { ...state, progress: { ...state.progress, [phaseId]: action.progress } };
    }
    default:
      return unknownAction(action);
  }
}

function applyRunEvent(state: RunUiState, event: RunEvent): RunUiState {
  const live = state.snapshot;
  if (live === null) return state;
  const next = live.state.seq + 1;
  if (event.seq < next) return state;
  if (event.seq > next) return state.resyncNeeded ? state : { ...state, resyncNeeded: true };
  let folded;
  try {
    folded = foldEvent(live.state, event);
  } catch {
    // The log and the fold disagree (a bug, or a server of another version): read the run again.
    return { ...state, resyncNeeded: true };
  }
  return {
    ...state,
    snapshot: { ...live, state: folded, ...(live.log === undefined ? {} : { log: [...live.log, event] }) },
    lastEventId: event.seq,
    // An event the view already reflects (an action's answer came first) leaves it current.
    viewStale: state.viewStale || (event.seq > viewSeq(live.view) && refreshesView(event)),
  };
}

/** A view newer than (or as new as) the one held replaces it; an older one changes nothing. */
function applyView(state: RunUiState, view: RunSnapshot): RunUiState {
  const live = state.snapshot;
  if (live === null || view.id !== live.view.id || viewSeq(view) < viewSeq(live.view)) return state;
  return {
    ...state,
    snapshot: { ...live, view },
    viewStale: state.viewStale && viewSeq(view) < live.state.seq,
  };
}

function unknownAction(action: never): RunUiState {
  throw new Error(`runReducer: unknown action ${JSON.stringify(action)}`);
}
