/**
 * The run page's Zustand store: {@link RunUiState} and the store contract's actions, each one a
 * dispatch into the pure {@link runReducer}. Components read it through the selectors of
 * `selectors.ts`; the stream hook (`use-run-stream.ts`) is what feeds it.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { RunSnapshot, RunStreamProgress } from '@baton/client';
import type { RunEvent } from '@baton/engine';
import type { ConnectionStatus, LiveRun } from './live-run.js';
import { INITIAL_RUN_UI_STATE, runReducer, type RunAction, type RunUiState } from './run-reducer.js';

interface RunStoreActions {
  setSnapshot: (snapshot: LiveRun) => void;
  selectPhase: (phaseId: string | null) => void;
  applyEvent: (event: RunEvent) => void;
  setConnectionStatus: (status: ConnectionStatus) => void;
  /** An action's answer (`POST …/decision` and the like): the run as it is now. */
  applyActionResponse: (view: RunSnapshot) => void;
  /** A view read again after events that change what it shows. */
  setView: (view: RunSnapshot) => void;
  recordActivity: (phaseId: string, lastActivityAt: string) => void;
  /** A `progress` frame of the stream: an attempt's output so far. */
  recordProgress: (progress: RunStreamProgress) => void;
}

type RunStoreState = RunUiState & RunStoreActions;
export type RunStore = StoreApi<RunStoreState>;

/** A fresh store (one per run page). */
export function createRunStore(): RunStore {
  return createStore<RunStoreState>()((set) => {
    const dispatch = (action: RunAction) => set((state) => runReducer(state, action));
    return {
      ...INITIAL_RUN_UI_STATE,
      setSnapshot: (snapshot) => dispatch({ type: 'setSnapshot', snapshot }),
      selectPhase: (phaseId) => dispatch({ type: 'selectPhase', phaseId }),
      applyEvent: (event) => dispatch({ type: 'applyEvent', event }),
      setConnectionStatus: (status) => dispatch({ type: 'setConnectionStatus', status }),
      applyActionResponse: (view) => dispatch({ type: 'applyActionResponse', view }),
      setView: (view) => dispatch({ type: 'setView', view }),
      recordActivity: (phaseId, lastActivityAt) => dispatch({ type: 'activity', phaseId, lastActivityAt }),
      recordProgress: (progress) => dispatch({ type: 'progress', progress }),
    };
  });
}
