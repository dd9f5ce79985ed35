/**
 * A run, live: the top bar (title, status, workflow, cost, connection), the graph of its phase
 * instances, and the selected phase's panel — the first phase waiting for a person when none is
 * selected, so a gate opens on its decision.
 */
import { useCallback, useState } from 'react';
import { useStore } from 'zustand';
import { Link } from '../../app/router.js';
import { ErrorNote } from '../../components/error-note.js';
import { formatCost } from '../../components/format.js';
import { StatusBadge } from '../../components/status-badge.js';
import { createRunStore } from '../../store/run-store.js';
import {
  phaseRows,
  runStatus,
  selectConnectionStatus,
  selectSelectedPhaseId,
  selectSnapshot,
} from '../../store/selectors.js';
import { RunGraph } from '../run-graph/run-graph.js';
import { ConnectionBadge } from './connection-badge.js';
import { PhasePanel } from './phase-panel.js';
import { useRunStream } from './use-run-stream.js';

export function RunPage({ runId }: { readonly runId: string }) {
  const [store] = useState(createRunStore);
  const { error } = useRunStream(store, runId);
  const live = useStore(store, selectSnapshot);
  const selected = useStore(store, selectSelectedPhaseId);
  const connection = useStore(store, selectConnectionStatus);
  const select = useStore(store, (state) => state.selectPhase);
  const onSelect = useCallback((id: string) => select(id), [select]);

  if (live === null)
    return (
      <main className="page" aria-labelledby="run-title">
        <h1 id="run-title">Run {runId}</h1>
        {error === null ? (
          <p role="status">Loading the run…</p>
        ) : (
          <ErrorNote
            title="Could not open the run"
            message={`${error} — check the address, or go back to the runs.`}
          />
        )}
      </main>
    );
  const rows = phaseRows(live);
  const shown = selected ?? live.view.pendingDecisions[0]?.phaseId ?? null;
  const status = runStatus(live);
  return (
    <main className="run-page" aria-labelledby="run-title">
      <header className="run-bar">
        <div className="run-heading">
          <Link to="/" className="back">
            ← Runs
          </Link>
          <h1 id="run-title">{live.view.title ?? live.state.title ?? runId}</h1>
          <StatusBadge status={status} />
        </div>
        <dl className="run-facts">
          <div>
            <dt>Workflow</dt>
            <dd>{live.view.workflow}</dd>
          </div>
          {live.view.stage === null ? null : (
            <div>
              <dt>Stage</dt>
              <dd>{live.view.stage.replaceAll('_', ' ')}</dd>
            </div>
          )}
          <div>
            <dt>Cost</dt>
            <dd>{formatCost(live.view.usage.costUsd)}</dd>
          </div>
        </dl>
        <a className="download" href={`/api/runs/${encodeURIComponent(runId)}/download`} download>
          <span aria-hidden="true">⤓ </span>Download (zip)
        </a>
        <ConnectionBadge status={connection} />
      </header>
      {error === null ? null : (
        <ErrorNote title="The live connection failed" message={`${error} — retrying.`} />
      )}
      <div className="run-body">
        <RunGraph rows={rows} selectedId={shown} onSelect={onSelect} />
        <PhasePanel store={store} live={live} phaseId={shown} />
      </div>
    </main>
  );
}
