/**
 * The right panel: the selected phase — its status, attempts, error, what it waits for (with the
 * decisions), and its output.
 */
import { useStore } from 'zustand';
import { StatusBadge } from '../../components/status-badge.js';
import { formatCost } from '../../components/format.js';
import type { LiveRun } from '../../store/live-run.js';
import type { RunStore } from '../../store/run-store.js';
import { pendingDecision, phaseRows, phaseView } from '../../store/selectors.js';
import { GateActions } from './gate-actions.js';
import { OutputView } from './output-view.js';

interface PhasePanelProps {
  readonly store: RunStore;
  readonly live: LiveRun;
  readonly phaseId: string | null;
}

export function PhasePanel({ store, live, phaseId }: PhasePanelProps) {
  const clear = useStore(store, (state) => state.selectPhase);
  if (phaseId === null)
    return (
      <aside className="phase-panel" aria-label="Phase details">
        <p className="hint">Select a phase in the graph to see its output.</p>
      </aside>
    );
  const row = phaseRows(live).find((candidate) => candidate.id === phaseId);
  const view = phaseView(live, phaseId);
  const pending = pendingDecision(live, phaseId);
  return (
    <aside className="phase-panel" aria-labelledby="phase-title">
      <div className="panel-head">
        <h2 id="phase-title">{phaseId}</h2>
        <button
          type="button"
          className="quiet"
          onClick={() => clear(null)}
          aria-label="Close the phase details"
        >
          ✕
        </button>
      </div>
      {row === undefined ? null : (
        <p className="meta">
          <StatusBadge status={row.status} /> {row.attempts === 1 ? '1 attempt' : `${row.attempts} attempts`}
          {view?.usage === undefined ? null : ` · ${formatCost(view.usage.costUsd)}`}
        </p>
      )}
      {view?.error === undefined ? null : (
        <div className="error-note" role="alert">
          <strong>{view.error.code}</strong>
          <p>{view.error.message}</p>
        </div>
      )}
      {pending === undefined ? null : (
        <GateActions key={pending.since} store={store} runId={live.view.id} pending={pending} />
      )}
      <h3>Output</h3>
      <OutputView output={view?.output} />
    </aside>
  );
}
