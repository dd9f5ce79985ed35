/**
 * A human phase's form: the fields its output schema describes (`schema-form.ts`), submitted as
 * the phase's output. Problems are shown beside their fields before anything is sent.
 */
import { useMemo, useState } from 'react';
import { api } from '../../api.js';
import type { Act } from './act.js';
import { draftOf, formOf, valueOf, type FormDraft, type FormProblem } from './schema-form.js';
import { SchemaFields } from './schema-fields.js';

interface HumanFormProps {
  readonly runId: string;
  readonly phaseId: string;
  readonly schema: unknown;
  readonly act: Act;
  readonly busy: string | null;
}

export function HumanForm({ runId, phaseId, schema, act, busy }: HumanFormProps) {
  const field = useMemo(() => formOf(schema ?? {}), [schema]);
  const [draft, setDraft] = useState<FormDraft>(() => draftOf(field, undefined));
  const [problems, setProblems] = useState<readonly FormProblem[]>([]);
  return (
    <form
      className="decision-form human-form"
      aria-label={`Your answer for ${phaseId}`}
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        const result = valueOf(field, draft);
        if (!result.ok) return setProblems(result.problems);
        setProblems([]);
        act('submit', () => api.runs.submit(runId, phaseId, { content: result.value }));
      }}
    >
      <SchemaFields field={field} draft={draft} onChange={setDraft} problems={problems} path="" />
      {problems.length === 0 ? null : (
        <p className="field-problem" role="alert">
          {problems.length === 1 ? 'One field needs a change.' : `${problems.length} fields need a change.`}
        </p>
      )}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy !== null}>
          {busy === 'submit' ? 'Submitting…' : 'Submit'}
        </button>
      </div>
    </form>
  );
}
