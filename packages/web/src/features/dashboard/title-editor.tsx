/**
 * A run's title in the dashboard, renamed in place: "Rename" turns the title into a field; Enter
 * (or Save) keeps the new title, Escape (or Cancel) the old one. A failure shows beside it.
 */
import { useId, useState, type FormEvent, type KeyboardEvent } from 'react';
import { Link } from '../../app/router.js';
import { messageOf } from '../../app/session.js';

interface TitleEditorProps {
  readonly runId: string;
  readonly title: string;
  readonly onRename: (id: string, title: string) => Promise<void>;
}

export function TitleEditor({ runId, title, onRename }: TitleEditorProps) {
  const id = useId();
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(title);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!editing)
    return (
      <span className="title-cell">
        <Link to={`/runs/${encodeURIComponent(runId)}`} className="run-link">
          {title}
        </Link>
        <button
          type="button"
          className="quiet small"
          aria-label={`Rename ${title}`}
          onClick={() => {
            setText(title);
            setError(null);
            setEditing(true);
          }}
        >
          <span aria-hidden="true">✎</span>
        </button>
      </span>
    );
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const trimmed = text.trim();
    if (trimmed === '' || trimmed === title) {
      setEditing(false);
      return;
    }
    setBusy(true);
    onRename(runId, trimmed)
      .then(() => setEditing(false))
      .catch((cause: unknown) => setError(messageOf(cause)))
      .finally(() => setBusy(false));
  };
  const escape = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Escape') setEditing(false);
  };
  return (
    <form className="title-form" onSubmit={submit}>
      <label htmlFor={`${id}-title`} className="visually-hidden">
        New title of {title}
      </label>
      <input
        id={`${id}-title`}
        type="text"
        value={text}
        maxLength={200}
        autoFocus
        disabled={busy}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={escape}
      />
      <button type="submit" className="small" disabled={busy}>
        Save
      </button>
      <button type="button" className="quiet small" onClick={() => setEditing(false)}>
        Cancel
      </button>
      {error === null ? null : (
        <span className="field-error" role="alert">
          {error}
        </span>
      )}
    </form>
  );
}
