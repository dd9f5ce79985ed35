/**
 * The right panel: the selected phase — its status, attempts and cost; at a gate the advisory
 * reviewer's recommendation and the decision; then its tabs (output, changes, review, live
 * output, log, model calls).
 */
import { useStore } from 'zustand';
import './phase-panel.css';
import { StatusBadge } from '../../components/status-badge.js';
import { formatCost } from '../../components/format.js';
import type { LiveRun } from '../../store/live-run.js';
import type { RunStore } from '../../store/run-store.js';
import { pendingDecision, phaseRows, phaseView } from '../../store/selectors.js';
import { GateActions } from '../review/gate-actions.js';
import { RecommendationBanner } from '../review/recommendation-banner.js';
import { PhaseTabs } from './phase-tabs.js';

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
  const definition = live.state.definitions[phaseId];
  const reviewers = live.state.order.filter((id) => live.state.definitions[id]?.reviews === phaseId);
  const status = row?.status ?? view?.status ?? 'blocked';
  const attempts = row?.attempts ?? view?.attempts ?? 0;
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
      <p className="meta">
        <StatusBadge status={status} /> {attempts === 1 ? '1 attempt' : `${attempts} attempts`}
        {view?.usage === undefined ? null : ` · ${formatCost(view.usage.costUsd)}`}
      </p>
      {definition?.description === undefined ? null : (
        <p className="phase-description">{definition.description}</p>
      )}
      {pending === undefined ? null : (
        <>
          {reviewers.length === 0 ? null : (
            <RecommendationBanner view={live.view} phaseId={phaseId} reviewers={reviewers} />
          )}
          <GateActions key={pending.since} store={store} live={live} pending={pending} />
        </>
      )}
      <PhaseTabs
        store={store}
        live={live}
        phaseId={phaseId}
        status={status}
        attempts={attempts}
        atGate={pending !== undefined}
      />
    </aside>
  );
}
