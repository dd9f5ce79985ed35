/**
 * "New run": a workflow of the tenant's (built-ins included) — its graph drawn small once picked
 * — its inputs as a form generated from its input schema (a JSON textarea when it has none), and
 * a title; starts the run and opens it. Inputs left empty take the workflow's defaults.
 */
import { useEffect, useId, useState, type FormEvent } from 'react';
import type { WorkflowSummary } from '@baton/client';
import { api } from '../../api.js';
import { navigate } from '../../app/router.js';
import { messageOf } from '../../app/session.js';
import { ErrorNote } from '../../components/error-note.js';
import { textField } from '../../components/text-field.js';
import { InputFields } from './input-form.js';
import { inputFields, inputsOf, type InputField, type InputProblem } from './input-form-model.js';
import { WorkflowPreview } from './workflow-preview.js';

function parseInputs(text: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  const value: unknown = JSON.parse(text);
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Error('The inputs must be a JSON object, like {"brief": "…"}.');
  return value as Record<string, unknown>;
}

/** The picked workflow's input fields: null while they load, `'json'` without a schema. */
type Fields = readonly InputField[] | 'json' | null;

export function NewRunForm() {
  const id = useId();
  const [workflows, setWorkflows] = useState<readonly WorkflowSummary[] | null>(null);
  const [picked, setPicked] = useState<string>('');
  const [fields, setFields] = useState<Fields>(null);
  const [problems, setProblems] = useState<readonly InputProblem[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    const controller = new AbortController();
    api.workflows
      .list({ signal: controller.signal })
      .then((list) => {
        setWorkflows(list.workflows);
        setPicked((held) => (held === '' ? (list.workflows[0]?.id ?? '') : held));
      })
      .catch((cause: unknown) => {
        if (!controller.signal.aborted) setError(messageOf(cause));
      });
    return () => controller.abort();
  }, []);
  useEffect(() => {
    if (picked === '') return;
    const controller = new AbortController();
    setFields(null);
    setProblems([]);
    api.workflows
      .get(picked, { signal: controller.signal })
      .then((detail) => setFields(inputFields(detail.definition.inputs) ?? 'json'))
      .catch(() => {
        if (!controller.signal.aborted) setFields('json');
      });
    return () => controller.abort();
  }, [picked]);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    let inputs: Record<string, unknown>;
    if (fields === null) return;
    if (fields === 'json') {
      try {
        inputs = parseInputs(textField(data, 'inputs'));
      } catch (cause) {
        setError(messageOf(cause));
        return;
      }
    } else {
      const read = (path: string) => {
        const control = event.currentTarget.elements.namedItem(path);
        return control instanceof HTMLInputElement && control.type === 'checkbox'
          ? control.checked
          : textField(data, path);
      };
      const result = inputsOf(fields, read);
      if ('problems' in result) {
        setProblems(result.problems);
        setError(`Check the inputs: ${result.problems.map((problem) => problem.message).join(' ')}`);
        return;
      }
      inputs = result.inputs;
    }
    const title = textField(data, 'title').trim();
    setBusy(true);
    setError(null);
    setProblems([]);
    api.runs
      .create({ workflow: picked, inputs, ...(title === '' ? {} : { title }) })
      .then((run) => navigate(`/runs/${encodeURIComponent(run.id)}`))
      .catch((cause: unknown) => setError(messageOf(cause)))
      .finally(() => setBusy(false));
  };

  const workflow = workflows?.find((candidate) => candidate.id === picked);
  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>New run</h2>
      <form className="new-run" onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor={`${id}-workflow`}>Workflow</label>
          <select
            id={`${id}-workflow`}
            name="workflow"
            required
            disabled={workflows === null}
            value={picked}
            onChange={(event) => setPicked(event.target.value)}
          >
            {(workflows ?? []).map((candidate) => (
              <option key={candidate.id} value={candidate.id}>
                {candidate.id}
                {candidate.description === undefined ? '' : ` — ${candidate.description.slice(0, 60)}`}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-run-title`}>Title (optional)</label>
          <input id={`${id}-run-title`} name="title" type="text" />
        </div>
        {workflow === undefined ? null : (
          <div className="field wide">
            <WorkflowPreview workflow={workflow} />
          </div>
        )}
        {fields === null ? (
          <p className="hint field wide" role="status">
            Reading the workflow&apos;s inputs…
          </p>
        ) : fields === 'json' ? (
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
        ) : (
          <fieldset className="field wide input-group" key={picked}>
            <legend>Inputs (empty fields take the workflow&apos;s defaults)</legend>
            <InputFields fields={fields} problems={problems} />
          </fieldset>
        )}
        <button type="submit" className="primary" disabled={busy || workflows === null || fields === null}>
          {busy ? 'Starting…' : 'Start the run'}
        </button>
      </form>
      {error === null ? null : <ErrorNote title="The run did not start" message={error} />}
    </section>
  );
}
