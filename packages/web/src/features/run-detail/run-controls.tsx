/**
 * The run's top-bar controls: pause or resume, cancel (after a confirmation), the environment its
 * tool phases run in, how many phases failed (a button that selects the first), and what it spent
 * against its budget.
 */
import { useEffect, useState } from 'react';
import type { Environment } from '@baton/client';
import { api } from '../../api.js';
import { ErrorNote } from '../../components/error-note.js';
import { formatCost } from '../../components/format.js';
import type { LiveRun } from '../../store/live-run.js';
import { failedPhaseIds, runSpend, type Spend } from '../../store/run-facts.js';
import type { RunStore } from '../../store/run-store.js';
import { runStatus } from '../../store/selectors.js';
import { CancelDialog } from './cancel-dialog.js';
import { useRunAction } from './use-run-action.js';

interface RunControlsProps {
  readonly store: RunStore;
  readonly live: LiveRun;
}

const ENDED = new Set(['completed', 'failed', 'cancelled']);

export function RunControls({ store, live }: RunControlsProps) {
  const action = useRunAction(store);
  const [confirming, setConfirming] = useState(false);
  const id = live.view.id;
  const status = runStatus(live);
  const failed = failedPhaseIds(live);
  const paused = status === 'paused';
  return (
    <div className="run-controls">
      {ENDED.has(status) ? null : (
        <div className="control-group" role="group" aria-label="Run controls">
          {paused ? (
            <button
              type="button"
              disabled={action.busy !== null}
              onClick={() => action.run('resume', () => api.runs.resume(id))}
            >
              <span aria-hidden="true">▶ </span>
              {action.busy === 'resume' ? 'Resuming…' : 'Resume'}
            </button>
          ) : (
            <button
              type="button"
              disabled={action.busy !== null}
              onClick={() => action.run('pause', () => api.runs.pause(id))}
            >
              <span aria-hidden="true">‖ </span>
              {action.busy === 'pause' ? 'Pausing…' : 'Pause'}
            </button>
          )}
          <button
            type="button"
            className="danger"
            disabled={action.busy !== null}
            onClick={() => setConfirming(true)}
          >
            <span aria-hidden="true">⊘ </span>
            {action.busy === 'cancel' ? 'Cancelling…' : 'Cancel'}
          </button>
        </div>
      )}
      {failed.length === 0 ? null : (
        <button
          type="button"
          className="failed-count"
          onClick={() => store.getState().selectPhase(failed[0]!)}
          title={`Show ${failed[0]!}, the first phase that failed`}
        >
          <span aria-hidden="true">✕ </span>
          {failed.length} failed
        </button>
      )}
      <EnvironmentFact />
      <SpendFact spend={runSpend(live)} />
      <CancelDialog
        open={confirming}
        onClose={() => setConfirming(false)}
        onConfirm={(reason) => {
          setConfirming(false);
          action.run('cancel', () => api.runs.cancel(id, reason === '' ? {} : { reason }));
        }}
      />
      {action.error === null ? null : <ErrorNote title="That did not work" message={action.error} />}
    </div>
  );
}

/**
 * Where the run's tool phases run (`GET /api/environments`). A run keeps the server's default for
 * its whole life, so it is shown, not chosen, with the other environments the server offers.
 */
function EnvironmentFact() {
  const [environments, setEnvironments] = useState<readonly Environment[] | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    api.environments
      .list({ signal: controller.signal })
      .then((list) => setEnvironments(list.environments))
      .catch(() => {
        if (!controller.signal.aborted) setEnvironments([]);
      });
    return () => controller.abort();
  }, []);
  const current = environments?.find((environment) => environment.default) ?? environments?.[0];
  return (
    <dl className="run-facts">
      <div>
        <dt>Environment</dt>
        <dd
          title={
            current === undefined
              ? undefined
              : `${current.description}. A run keeps its environment; the server offers: ${environments!.map((e) => e.id).join(', ')}.`
          }
        >
          {environments === null ? '…' : (current?.id ?? 'unknown')}
        </dd>
      </div>
    </dl>
  );
}

function SpendFact({ spend }: { readonly spend: Spend }) {
  const limit = spend.budget;
  const parts: string[] = [];
  if (limit?.usd !== undefined) parts.push(`of ${formatCost(limit.usd)}`);
  if (limit?.tokens !== undefined)
    parts.push(`${spend.tokens.toLocaleString('en')} of ${limit.tokens.toLocaleString('en')} tokens`);
  const over = spend.share !== undefined && spend.share >= 0.8;
  return (
    <dl className="run-facts">
      <div>
        <dt>Cost{limit === undefined ? '' : ' / budget'}</dt>
        <dd className={over ? 'over-budget' : undefined} data-spend={spend.share ?? ''}>
          {over ? <span aria-hidden="true">⚠ </span> : null}
          {formatCost(spend.costUsd)} {parts.join(' · ')}
          {spend.share === undefined ? null : (
            <meter
              min={0}
              max={1}
              low={0.8}
              high={0.95}
              optimum={0}
              value={Math.min(spend.share, 1)}
              aria-label={`${Math.round(spend.share * 100)}% of the budget spent`}
            />
          )}
        </dd>
      </div>
    </dl>
  );
}
