/**
 * Revise the brief: run the run's first phase (and so everything after it) again with a changed
 * run input — what `baton rewind RUN PHASE --input name=value` does. The input shown is `brief`
 * when the run has one, else the first input; a text input is edited as text, any other as JSON.
 */
import { useId, useState } from 'react';
import { api } from '../../api.js';
import type { LiveRun } from '../../store/live-run.js';
import type { Act } from './act.js';
import { DecisionFormFooter } from './decision-form-footer.js';

interface ReviseBriefFormProps {
  readonly live: LiveRun;
  readonly busy: string | null;
  readonly act: Act;
  readonly reason: { readonly reason?: string };
  readonly onCancel: () => void;
}

/** The phase a rewind starts from: the run's first phase that needs nothing. */
function firstPhaseOf(live: LiveRun): string | undefined {
  const { order, definitions } = live.state;
  return order.find((id) => definitions[id]?.needs.length === 0 && definitions[id]?.instanceOf === undefined);
}

/** The input a revised brief changes: `brief`, else the first the run has, else `brief`. */
function briefInputOf(inputs: Readonly<Record<string, unknown>>): string {
  return 'brief' in inputs ? 'brief' : (Object.keys(inputs)[0] ?? 'brief');
}

export function ReviseBriefForm({ live, busy, act, reason, onCancel }: ReviseBriefFormProps) {
  const id = useId();
  const inputs = live.view.inputs;
  const name = briefInputOf(inputs);
  const current = inputs[name];
  const asText = current === undefined || typeof current === 'string';
  const [text, setText] = useState(() =>
    typeof current === 'string' ? current : current === undefined ? '' : JSON.stringify(current, null, 2),
  );
  const [problem, setProblem] = useState<string | null>(null);
  const first = firstPhaseOf(live);
  const submit = () => {
    if (first === undefined) return setProblem('This run has no phase to start again from.');
    if (text.trim() === '') return setProblem(`Write the new ${name}.`);
    let value: unknown = text;
    if (!asText) {
      try {
        value = JSON.parse(text);
      } catch (error) {
        return setProblem(
          `This is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
    setProblem(null);
    act('rewind', () => api.runs.rewind(live.view.id, first, { inputs: { [name]: value }, ...reason }));
  };
  return (
    <form
      className="decision-form"
      aria-label="Revise the brief"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <label htmlFor={`${id}-brief`}>
        New {name} {asText ? '' : '(JSON)'}
      </label>
      <textarea
        id={`${id}-brief`}
        rows={6}
        value={text}
        aria-invalid={problem !== null}
        aria-describedby={problem === null ? `${id}-hint` : `${id}-problem`}
        onChange={(event) => setText(event.target.value)}
      />
      <p id={`${id}-hint`} className="hint">
        {first === undefined ? '' : `Runs ${first} and everything after it again with the new ${name}.`}
      </p>
      <DecisionFormFooter
        id={id}
        problem={problem}
        alert
        busy={busy}
        action="rewind"
        label={`Start again from ${first ?? 'the start'}`}
        busyLabel="Starting again…"
        onCancel={onCancel}
      />
    </form>
  );
}
