/**
 * The end of a decision form (request changes, edit, revise brief): the field's problem, when there
 * is one, a note if given, then the submit button — its label while its action is under way — and
 * Cancel.
 */
import type { ReactNode } from 'react';

interface DecisionFormFooterProps {
  /** The form's `useId()`: the problem is `${id}-problem`, which the field describes itself by. */
  readonly id: string;
  readonly problem: string | null;
  /** Announce the problem at once (`role="alert"`). */
  readonly alert?: boolean;
  /** The action under way, if any (every button waits while one is). */
  readonly busy: string | null;
  /** This form's action: while it is under way the button says `busyLabel`. */
  readonly action: string;
  readonly label: string;
  readonly busyLabel: string;
  readonly onCancel: () => void;
  /** Shown between the problem and the buttons. */
  readonly note?: ReactNode;
}

export function DecisionFormFooter(props: DecisionFormFooterProps) {
  const { id, problem, busy } = props;
  return (
    <>
      {problem === null ? null : (
        <p id={`${id}-problem`} className="field-problem" role={props.alert === true ? 'alert' : undefined}>
          {problem}
        </p>
      )}
      {props.note}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy !== null}>
          {busy === props.action ? props.busyLabel : props.label}
        </button>
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </>
  );
}
