/**
 * The run's left bar, the workflow's actions: restart (a fork of the run — a new run with the
 * same inputs — opened once it starts), approve the first gate that waits, retry the first phase
 * that failed, and save the run (its zip: every output, the log and a summary).
 */
import { api } from '../../api.js';
import { navigate } from '../../app/router.js';
import { ErrorNote } from '../../components/error-note.js';
import type { LiveRun } from '../../store/live-run.js';
import { failedPhaseIds, firstApprovable } from '../../store/run-facts.js';
import type { RunStore } from '../../store/run-store.js';
import { useRunAction } from './use-run-action.js';

interface RunActionsProps {
  readonly store: RunStore;
  readonly live: LiveRun;
}

export function RunActions({ store, live }: RunActionsProps) {
  const action = useRunAction(store);
  const id = live.view.id;
  const gate = firstApprovable(live);
  const failed = failedPhaseIds(live)[0];
  const busy = action.busy !== null;
  return (
    <nav className="run-actions" aria-label="Run actions">
      <button
        type="button"
        disabled={busy}
        title="Start a new run of this workflow with the same inputs"
        onClick={() =>
          action.run(
            'restart',
            () => api.runs.fork(id),
            (run) => navigate(`/runs/${encodeURIComponent(run.id)}`),
          )
        }
      >
        <span aria-hidden="true">↻ </span>
        {action.busy === 'restart' ? 'Restarting…' : 'Restart'}
      </button>
      <button
        type="button"
        disabled={busy || gate === undefined}
        title={gate === undefined ? 'No gate waits for you' : `Approve ${gate.phaseId}`}
        onClick={() => {
          if (gate === undefined) return;
          store.getState().selectPhase(gate.phaseId);
          action.run('approve', () => api.runs.decide(id, gate.phaseId, { decision: 'approve' }));
        }}
      >
        <span aria-hidden="true">✓ </span>
        {action.busy === 'approve'
          ? 'Approving…'
          : gate === undefined
            ? 'Approve current'
            : `Approve ${gate.phaseId}`}
      </button>
      <button
        type="button"
        disabled={busy || failed === undefined}
        title={failed === undefined ? 'No phase failed' : `Run ${failed} again`}
        onClick={() => {
          if (failed === undefined) return;
          store.getState().selectPhase(failed);
          action.run('retry', () => api.runs.retry(id, failed));
        }}
      >
        <span aria-hidden="true">⟳ </span>
        {action.busy === 'retry' ? 'Retrying…' : failed === undefined ? 'Retry current' : `Retry ${failed}`}
      </button>
      <a className="button" href={`/api/runs/${encodeURIComponent(id)}/download`} download>
        <span aria-hidden="true">⤓ </span>Save (zip)
      </a>
      {action.error === null ? null : <ErrorNote title="That did not work" message={action.error} />}
    </nav>
  );
}
