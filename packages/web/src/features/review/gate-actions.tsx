/**
 * A person's decision on a waiting phase: approve, reject, request changes (with feedback), edit
 * the output (a new version), revise the brief (the run's first phase again, with a changed
 * input) — or, for a human phase, the form its output schema describes. Each answer (the run as
 * it is now) goes into the store at once; the stream then catches up.
 */
import { useId, useState } from 'react';
import type { PendingDecision } from '@baton/client';
import { api } from '../../api.js';
import { ErrorNote } from '../../components/error-note.js';
import type { LiveRun } from '../../store/live-run.js';
import type { RunStore } from '../../store/run-store.js';
import type { Act } from './act.js';
import { actionErrorOf } from './action-error.js';
import { EditOutputForm } from './edit-output-form.js';
import { HumanForm } from './human-form.js';
import { RequestChangesForm } from './request-changes-form.js';
import { ReviseBriefForm } from './revise-brief-form.js';

interface GateActionsProps {
  readonly store: RunStore;
  readonly live: LiveRun;
  readonly pending: PendingDecision;
}

type Mode = 'none' | 'changes' | 'edit' | 'brief';

export function GateActions({ store, live, pending }: GateActionsProps) {
  const id = useId();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [mode, setMode] = useState<Mode>('none');
  const runId = live.view.id;
  const phaseId = pending.phaseId;
  const why = reason.trim() === '' ? {} : { reason: reason.trim() };
  const act: Act = (label, action) => {
    setBusy(label);
    setError(null);
    action()
      .then((view) => {
        store.getState().applyActionResponse(view);
        setMode('none');
      })
      .catch((cause: unknown) => setError(actionErrorOf(cause)))
      .finally(() => setBusy(null));
  };
  const can = (decision: PendingDecision['decisions'][number]) => pending.decisions.includes(decision);
  const toggle = (next: Mode) => setMode((current) => (current === next ? 'none' : next));
  const human = can('submit') && pending.source === 'human';
  const definition = live.state.definitions[phaseId];
  const disabled = busy !== null;
  return (
    <section className="gate" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>
        <span aria-hidden="true">◆ </span>Your decision
      </h3>
      <p>{pending.reason}</p>
      {human ? (
        <HumanForm runId={runId} phaseId={phaseId} schema={definition?.output} act={act} busy={busy} />
      ) : null}
      <label htmlFor={`${id}-reason`}>Reason (optional, recorded with the decision)</label>
      <input
        id={`${id}-reason`}
        type="text"
        value={reason}
        onChange={(event) => setReason(event.target.value)}
      />
      <div className="actions" role="group" aria-label="Decide">
        {can('approve') && !human ? (
          <button
            type="button"
            className="primary"
            disabled={disabled}
            onClick={() =>
              act('approve', () => api.runs.decide(runId, phaseId, { decision: 'approve', ...why }))
            }
          >
            {busy === 'approve' ? 'Approving…' : 'Approve'}
          </button>
        ) : null}
        {can('request_changes') ? (
          <button
            type="button"
            aria-expanded={mode === 'changes'}
            disabled={disabled}
            onClick={() => toggle('changes')}
          >
            Request changes…
          </button>
        ) : null}
        {can('edit') && !human ? (
          <button
            type="button"
            aria-expanded={mode === 'edit'}
            disabled={disabled}
            onClick={() => toggle('edit')}
          >
            Edit…
          </button>
        ) : null}
        <button
          type="button"
          aria-expanded={mode === 'brief'}
          disabled={disabled}
          onClick={() => toggle('brief')}
        >
          Revise brief…
        </button>
        {can('reject') ? (
          <button
            type="button"
            className="danger"
            disabled={disabled}
            onClick={() =>
              act('reject', () => api.runs.decide(runId, phaseId, { decision: 'reject', ...why }))
            }
          >
            {busy === 'reject' ? 'Rejecting…' : 'Reject'}
          </button>
        ) : null}
      </div>
      {mode === 'changes' ? (
        <RequestChangesForm
          busy={busy}
          onSubmit={(feedback) =>
            act('request_changes', () =>
              api.runs.decide(runId, phaseId, { decision: 'request_changes', feedback, ...why }),
            )
          }
          onCancel={() => setMode('none')}
        />
      ) : null}
      {mode === 'edit' ? (
        <EditOutputForm
          phaseId={phaseId}
          output={live.view.phases.find((phase) => phase.id === phaseId)?.output}
          structured={definition?.output !== undefined}
          busy={busy}
          onSubmit={(content) =>
            act('edit', () => api.runs.decide(runId, phaseId, { decision: 'edit', content, ...why }))
          }
          onCancel={() => setMode('none')}
        />
      ) : null}
      {mode === 'brief' ? (
        <ReviseBriefForm live={live} busy={busy} act={act} reason={why} onCancel={() => setMode('none')} />
      ) : null}
      {error === null ? null : <ErrorNote title="The decision was not taken" message={error} />}
    </section>
  );
}
