/**
 * The decisions a waiting phase takes that this page offers: approve, or reject with a reason.
 * The answer (the run as it is now) goes into the store at once; the stream then catches up.
 */
import { useId, useState } from 'react';
import type { Decision, PendingDecision } from '@baton/client';
import { api } from '../../api.js';
import { messageOf } from '../../app/session.js';
import { ErrorNote } from '../../components/error-note.js';
import type { RunStore } from '../../store/run-store.js';

interface GateActionsProps {
  readonly store: RunStore;
  readonly runId: string;
  readonly pending: PendingDecision;
}

export function GateActions({ store, runId, pending }: GateActionsProps) {
  const id = useId();
  const [busy, setBusy] = useState<Decision | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const decide = (decision: Decision) => {
    setBusy(decision);
    setError(null);
    const trimmed = reason.trim();
    api.runs
      .decide(runId, pending.phaseId, { decision, ...(trimmed === '' ? {} : { reason: trimmed }) })
      .then((view) => store.getState().applyActionResponse(view))
      .catch((cause: unknown) => setError(messageOf(cause)))
      .finally(() => setBusy(null));
  };
  const can = (decision: Decision) => pending.decisions.includes(decision);
  return (
    <section className="gate" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>
        <span aria-hidden="true">◆ </span>Your decision
      </h3>
      <p>{pending.reason}</p>
      <label htmlFor={`${id}-reason`}>Reason (optional, recorded with the decision)</label>
      <input
        id={`${id}-reason`}
        type="text"
        value={reason}
        onChange={(event) => setReason(event.target.value)}
      />
      <div className="actions">
        {can('approve') ? (
          <button
            type="button"
            className="primary"
            disabled={busy !== null}
            onClick={() => decide('approve')}
          >
            {busy === 'approve' ? 'Approving…' : 'Approve'}
          </button>
        ) : null}
        {can('reject') ? (
          <button type="button" className="danger" disabled={busy !== null} onClick={() => decide('reject')}>
            {busy === 'reject' ? 'Rejecting…' : 'Reject'}
          </button>
        ) : null}
      </div>
      {error === null ? null : <ErrorNote title="The decision was not taken" message={error} />}
    </section>
  );
}
