/**
 * "New run": a workflow of the tenant's (built-ins included), its inputs as JSON (empty: the
 * workflow's defaults) and a title; starts the run and opens it.
 */
import { useEffect, useId, useState, type FormEvent } from 'react';
import type { WorkflowSummary } from '@baton/client';
import { api } from '../../api.js';
import { navigate } from '../../app/router.js';
import { messageOf } from '../../app/session.js';
import { ErrorNote } from '../../components/error-note.js';
import { textField } from '../../components/text-field.js';

function parseInputs(text: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  const value: unknown = JSON.parse(text);
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Error('The inputs must be a JSON object, like {"brief": "…"}.');
  return value as Record<string, unknown>;
}

export function NewRunForm() {
  const id = useId();
  const [workflows, setWorkflows] = useState<readonly WorkflowSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    const controller = new AbortController();
    api.workflows
      .list({ signal: controller.signal })
      .then((list) => setWorkflows(list.workflows))
      .catch((cause: unknown) => {
        if (!controller.signal.aborted) setError(messageOf(cause));
      });
    return () => controller.abort();
  }, []);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    let inputs: Record<string, unknown>;
    try {
      inputs = parseInputs(textField(data, 'inputs'));
    } catch (cause) {
      setError(messageOf(cause));
      return;
    }
    const title = textField(data, 'title').trim();
    setBusy(true);
    setError(null);
    api.runs
      .create({ workflow: textField(data, 'workflow'), inputs, ...(title === '' ? {} : { title }) })
      .then((run) => navigate(`/runs/${encodeURIComponent(run.id)}`))
      .catch((cause: unknown) => setError(messageOf(cause)))
      .finally(() => setBusy(false));
  };

  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>New run</h2>
      <form className="new-run" onSubmit={submit}>
        <div className="field">
          <label htmlFor={`${id}-workflow`}>Workflow</label>
          <select id={`${id}-workflow`} name="workflow" required disabled={workflows === null}>
            {(workflows ?? []).map((workflow) => (
              <option key={workflow.id} value={workflow.id}>
                {workflow.id}
                {workflow.description === undefined ? '' : ` — ${workflow.description.slice(0, 60)}`}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-run-title`}>Title (optional)</label>
          <input id={`${id}-run-title`} name="title" type="text" />
        </div>
        <div className="field wide">
          <label htmlFor={`${id}-inputs`}>Inputs (JSON; empty for the workflow&apos;s defaults)</label>
          <textarea
            id={`${id}-inputs`}
            name="inputs"
            rows={3}
            spellCheck={false}
            placeholder='{"brief": "…"}'
          />
        </div>
        <button type="submit" className="primary" disabled={busy || workflows === null}>
          {busy ? 'Starting…' : 'Start the run'}
        </button>
      </form>
      {error === null ? null : <ErrorNote title="The run did not start" message={error} />}
    </section>
  );
}
