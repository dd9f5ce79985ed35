/**
 * Every read of the run store: the phases as the graph and the panel show them, the run's status,
 * the selected phase. Where the server's view is newer than the folded state (an action's answer
 * arrived before its events), the view's statuses win until the stream catches up.
 */
import type { PendingDecision, PhaseSnapshot, RunSnapshot } from '@baton/client';
import type { RunState } from '@baton/engine';
import { viewSeq, type ConnectionStatus, type LiveRun } from './live-run.js';
import type { RunUiState } from './run-reducer.js';

/** One phase instance as the UI shows it. */
export interface PhaseRow {
  readonly id: string;
  readonly status: string;
  readonly attempts: number;
  /** The phases this one needs (the graph's edges). */
  readonly needs: readonly string[];
  /** A map's instance: the map it belongs to. */
  readonly map?: string;
  /** Waiting for a person: why. */
  readonly waitingReason?: string;
  readonly gate: boolean;
}

/** The phases of a run, in the run's order (map instances before their map). */
export function phaseRows(live: LiveRun): PhaseRow[] {
  const { state, view } = live;
  const viewAhead = viewSeq(view) > state.seq;
  const viewPhases = viewAhead ? new Map(view.phases.map((phase) => [phase.id, phase])) : undefined;
  return state.order.map((id) => {
    const phase = state.phases[id];
    const definition = state.definitions[id];
    const fromView = viewPhases?.get(id);
    const status = fromView?.status ?? phase?.status ?? 'blocked';
    const waitingReason = fromView !== undefined ? fromView.waiting?.reason : phase?.waiting?.reason;
    return {
      id,
      status,
      attempts: fromView?.attempts ?? phase?.attempts.length ?? 0,
      needs: definition?.needs ?? [],
      ...(mapOf(state, id) === undefined ? {} : { map: mapOf(state, id)! }),
      ...(status === 'waiting_for_human' && waitingReason !== undefined ? { waitingReason } : {}),
      gate: definition?.gate === true,
    };
  });
}

function mapOf(state: RunState, id: string): string | undefined {
  for (const [map, ids] of Object.entries(state.instances)) if (ids.includes(id)) return map;
  return undefined;
}

/** The run's status: the view's when it is newer, else the fold's. */
export function runStatus(live: LiveRun): RunSnapshot['status'] {
  return viewSeq(live.view) > live.state.seq ? live.view.status : live.state.status;
}

/** What the server knows of a phase (its output, usage, error), if it knows the phase yet. */
export function phaseView(live: LiveRun, id: string): PhaseSnapshot | undefined {
  return live.view.phases.find((phase) => phase.id === id);
}

/** The decision a phase waits for, while the view and the fold agree that it waits. */
export function pendingDecision(live: LiveRun, id: string): PendingDecision | undefined {
  const pending = live.view.pendingDecisions.find((decision) => decision.phaseId === id);
  if (pending === undefined) return undefined;
  const folded = live.state.phases[id]?.status;
  return viewSeq(live.view) >= live.state.seq || folded === 'waiting_for_human' ? pending : undefined;
}

export const selectSnapshot = (state: RunUiState): LiveRun | null => state.snapshot;
export const selectSelectedPhaseId = (state: RunUiState): string | null => state.selectedPhaseId;
export const selectConnectionStatus = (state: RunUiState): ConnectionStatus => state.connectionStatus;

/** How the connection reads to a person. */
export function connectionLabel(status: ConnectionStatus): 'live' | 'reconnecting' | 'offline' {
  if (status === 'open') return 'live';
  if (status === 'connecting') return 'reconnecting';
  return 'offline';
}
