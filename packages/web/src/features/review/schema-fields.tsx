/**
 * The inputs of a generated form (`schema-form.ts`), one per field, each labelled, its
 * description and its problem tied to it with `aria-describedby`; an object is a fieldset.
 */
import { useId } from 'react';
import type { FormDraft, FormField, FormProblem } from './schema-form.js';

interface SchemaFieldsProps {
  readonly field: FormField;
  readonly draft: FormDraft;
  readonly onChange: (draft: FormDraft) => void;
  readonly problems: readonly FormProblem[];
  /** The field's path ('' for the root). */
  readonly path: string;
}

export function SchemaFields({ field, draft, onChange, problems, path }: SchemaFieldsProps) {
  const id = useId();
  const problem = problems.find((candidate) => candidate.path === path);
  const described = [
    field.description === undefined ? null : `${id}-description`,
    problem === undefined ? null : `${id}-problem`,
  ]
    .filter((part) => part !== null)
    .join(' ');
  const aria = {
    'aria-invalid': problem !== undefined,
    ...(described === '' ? {} : { 'aria-describedby': described }),
  };
  const notes = (
    <>
      {field.description === undefined ? null : (
        <p id={`${id}-description`} className="hint">
          {field.description}
        </p>
      )}
      {problem === undefined ? null : (
        <p id={`${id}-problem`} className="field-problem">
          {field.label} {problem.message}
        </p>
      )}
    </>
  );
  const label = `${field.label}${field.required || field.kind === 'boolean' ? '' : ' (optional)'}`;
  const text = typeof draft === 'string' ? draft : '';
  switch (field.kind) {
    case 'object': {
      const drafts =
        typeof draft === 'object' && !Array.isArray(draft) ? (draft as Record<string, FormDraft>) : {};
      const inner = field.fields.map((child) => (
        <SchemaFields
          key={child.key}
          field={child}
          draft={drafts[child.key] ?? ''}
          onChange={(value) => onChange({ ...drafts, [child.key]: value })}
          problems={problems}
          path={path === '' ? child.key : `${path}.${child.key}`}
        />
      ));
      if (path === '') return <div className="schema-fields">{inner}</div>;
      return (
        <fieldset className="schema-fieldset">
          <legend>{label}</legend>
          {notes}
          {inner}
        </fieldset>
      );
    }
    case 'boolean':
      return (
        <div className="field checkbox">
          <input
            id={id}
            type="checkbox"
            checked={draft === true}
            onChange={(event) => onChange(event.target.checked)}
            {...aria}
          />
          <label htmlFor={id}>{label}</label>
          {notes}
        </div>
      );
    case 'enum':
      return (
        <div className="field">
          <label htmlFor={id}>{label}</label>
          <select id={id} value={text} onChange={(event) => onChange(event.target.value)} {...aria}>
            <option value="">Pick one…</option>
            {field.options.map((option) => (
              <option key={String(option)} value={String(option)}>
                {String(option)}
              </option>
            ))}
          </select>
          {notes}
        </div>
      );
    case 'string-list':
      return (
        <div className="field">
          <label htmlFor={id}>{label}, one per line</label>
          <textarea
            id={id}
            rows={3}
            value={(Array.isArray(draft) ? (draft as readonly string[]) : []).join('\n')}
            onChange={(event) => onChange(event.target.value.split('\n'))}
            {...aria}
          />
          {notes}
        </div>
      );
    case 'number':
      return (
        <div className="field">
          <label htmlFor={id}>{label}</label>
          <input
            id={id}
            type="text"
            inputMode={field.integer ? 'numeric' : 'decimal'}
            value={text}
            onChange={(event) => onChange(event.target.value)}
            {...aria}
          />
          {notes}
        </div>
      );
    case 'text':
    case 'json':
      return (
        <div className="field">
          <label htmlFor={id}>
            {label}
            {field.kind === 'json' ? ' (JSON)' : ''}
          </label>
          {field.kind === 'text' && !field.multiline ? (
            <input
              id={id}
              type="text"
              value={text}
              onChange={(event) => onChange(event.target.value)}
              {...aria}
            />
          ) : (
            <textarea
              id={id}
              rows={field.kind === 'json' ? 6 : 3}
              spellCheck={field.kind === 'text'}
              value={text}
              onChange={(event) => onChange(event.target.value)}
              {...aria}
            />
          )}
          {notes}
        </div>
      );
  }
}
