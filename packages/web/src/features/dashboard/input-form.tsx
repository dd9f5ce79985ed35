/**
 * The fields of a workflow's inputs, generated from its input schema (`input-form-model.ts`):
 * text, numbers, a checkbox, a choice, a list (one item a line), a group per nested object, and
 * JSON where the schema asks for more. Each control is named by its input's path, so the form's
 * data reads back through the model.
 */
import { useId } from 'react';
import type { InputField, InputProblem } from './input-form-model.js';

interface InputFormProps {
  readonly fields: readonly InputField[];
  readonly problems: readonly InputProblem[];
}

export function InputFields({ fields, problems }: InputFormProps) {
  return (
    <>
      {fields.map((field) => (
        <InputControl key={field.path} field={field} problems={problems} />
      ))}
    </>
  );
}

function InputControl({
  field,
  problems,
}: {
  readonly field: InputField;
  readonly problems: readonly InputProblem[];
}) {
  const id = useId();
  const problem = problems.find((candidate) => candidate.path === field.path);
  const hints = [
    field.description === undefined ? null : `${id}-hint`,
    problem === undefined ? null : `${id}-problem`,
  ]
    .filter((hint) => hint !== null)
    .join(' ');
  const common = {
    id,
    name: field.path,
    ...(hints === '' ? {} : { 'aria-describedby': hints }),
    ...(problem === undefined ? {} : { 'aria-invalid': true as const }),
  };
  if (field.kind === 'object')
    return (
      <fieldset className="field wide input-group">
        <legend>{field.label}</legend>
        {field.description === undefined ? null : <p className="hint">{field.description}</p>}
        <InputFields fields={field.fields} problems={problems} />
      </fieldset>
    );
  const label = `${field.label}${field.required ? ' (required)' : ''}`;
  const wide = field.kind !== 'number' && field.kind !== 'boolean' && field.kind !== 'enum';
  return (
    <div className={`field${wide ? ' wide' : ''}${field.kind === 'boolean' ? ' check' : ''}`}>
      {field.kind === 'boolean' ? (
        <>
          <input {...common} type="checkbox" defaultChecked={field.default} />
          <label htmlFor={id}>{label}</label>
        </>
      ) : (
        <>
          <label htmlFor={id}>
            {label}
            {kindHint(field)}
          </label>
          {control(field, common)}
        </>
      )}
      {field.description === undefined ? null : (
        <p className="hint" id={`${id}-hint`}>
          {field.description}
        </p>
      )}
      {problem === undefined ? null : (
        <p className="field-error" id={`${id}-problem`}>
          {problem.message}
        </p>
      )}
    </div>
  );
}

function kindHint(field: InputField): string {
  switch (field.kind) {
    case 'string-list':
      return ' — one a line';
    case 'text-or-json':
      return ' — text, or JSON';
    case 'json':
      return ' — JSON';
    default:
      return '';
  }
}

function control(field: InputField, common: Readonly<Record<string, unknown>>) {
  switch (field.kind) {
    case 'string':
      return field.long ? (
        <textarea {...common} rows={3} placeholder={field.default} />
      ) : (
        <input {...common} type="text" placeholder={field.default} />
      );
    case 'number':
      return (
        <input
          {...common}
          type="number"
          step={field.integer ? 1 : 'any'}
          placeholder={field.default === undefined ? undefined : String(field.default)}
        />
      );
    case 'enum':
      return (
        <select {...common} defaultValue={field.default ?? ''}>
          <option value="">{field.default === undefined ? '(none)' : '(the default)'}</option>
          {field.options.map((option) => (
            <option key={option} value={option}>
              {option}
            </option>
          ))}
        </select>
      );
    case 'string-list':
    case 'text-or-json':
    case 'json':
      return <textarea {...common} rows={3} spellCheck={field.kind !== 'json'} />;
    default:
      return null;
  }
}
