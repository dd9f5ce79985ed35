/**
 * Edit a phase's output: a text area holding it (JSON pretty-printed), saved as a new version
 * that the gate accepts. JSON (the phase has an output schema, or its output is JSON) must parse
 * before it is sent; the server checks it against the schema and names what does not fit.
 */
import { useId, useState } from 'react';
import { DecisionFormFooter } from './decision-form-footer.js';

interface EditOutputFormProps {
  readonly phaseId: string;
  readonly output: unknown;
  /** The phase has an output schema: the content is JSON. */
  readonly structured: boolean;
  readonly busy: string | null;
  readonly onSubmit: (content: unknown) => void;
  readonly onCancel: () => void;
}

export function EditOutputForm({
  phaseId,
  output,
  structured,
  busy,
  onSubmit,
  onCancel,
}: EditOutputFormProps) {
  const id = useId();
  const json = structured || (output !== null && output !== undefined && typeof output !== 'string');
  const [text, setText] = useState(() =>
    typeof output === 'string'
      ? output
      : output === undefined || output === null
        ? ''
        : JSON.stringify(output, null, 2),
  );
  const [problem, setProblem] = useState<string | null>(null);
  const submit = () => {
    if (!json) return onSubmit(text);
    try {
      const value: unknown = JSON.parse(text);
      setProblem(null);
      onSubmit(value);
    } catch (error) {
      setProblem(`This is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  return (
    <form
      className="decision-form"
      aria-label={`Edit the output of ${phaseId}`}
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <label htmlFor={`${id}-content`}>
        The output of {phaseId} {json ? '(JSON)' : '(text)'}
      </label>
      <textarea
        id={`${id}-content`}
        className="editor"
        rows={16}
        spellCheck={!json}
        value={text}
        aria-invalid={problem !== null}
        aria-describedby={problem === null ? undefined : `${id}-problem`}
        onChange={(event) => setText(event.target.value)}
      />
      <DecisionFormFooter
        note={<p className="hint">Saving makes a new version and approves it.</p>}
        id={id}
        problem={problem}
        alert
        busy={busy}
        action="edit"
        label="Save as a new version"
        busyLabel="Saving…"
        onCancel={onCancel}
      />
    </form>
  );
}
