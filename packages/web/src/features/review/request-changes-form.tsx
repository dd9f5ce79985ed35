/** Request changes: the feedback the phase runs again with (required). */
import { useId, useState } from 'react';
import { DecisionFormFooter } from './decision-form-footer.js';

interface RequestChangesFormProps {
  readonly busy: string | null;
  readonly onSubmit: (feedback: string) => void;
  readonly onCancel: () => void;
}

export function RequestChangesForm({ busy, onSubmit, onCancel }: RequestChangesFormProps) {
  const id = useId();
  const [feedback, setFeedback] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  return (
    <form
      className="decision-form"
      aria-label="Request changes"
      onSubmit={(event) => {
        event.preventDefault();
        if (feedback.trim() === '') return setProblem('Say what to change: the phase runs again with it.');
        setProblem(null);
        onSubmit(feedback.trim());
      }}
    >
      <label htmlFor={`${id}-feedback`}>Feedback (what to change)</label>
      <textarea
        id={`${id}-feedback`}
        rows={4}
        value={feedback}
        aria-invalid={problem !== null}
        aria-describedby={problem === null ? undefined : `${id}-problem`}
        onChange={(event) => setFeedback(event.target.value)}
      />
      <DecisionFormFooter
        id={id}
        problem={problem}
        busy={busy}
        action="request_changes"
        label="Send the feedback"
        busyLabel="Sending…"
        onCancel={onCancel}
      />
    </form>
  );
}
