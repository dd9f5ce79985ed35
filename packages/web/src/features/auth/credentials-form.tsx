/**
 * The email-and-password form of both sign-in and setup: labelled fields, the server's refusal
 * shown in an alert, the button disabled while the request is out.
 */
import { useId, useState, type FormEvent } from 'react';
import { ErrorNote } from '../../components/error-note.js';
import { messageOf } from '../../app/session.js';
import { textField } from '../../components/text-field.js';

/** The server's minimum (`MIN_PASSWORD_LENGTH`); the server checks it again. */
const MIN_PASSWORD_LENGTH = 10;

interface CredentialsFormProps {
  readonly submitLabel: string;
  readonly busyLabel: string;
  readonly newPassword: boolean;
  readonly disabled?: boolean;
  onSubmit: (email: string, password: string) => Promise<void>;
}

export function CredentialsForm({
  submitLabel,
  busyLabel,
  newPassword,
  disabled,
  onSubmit,
}: CredentialsFormProps) {
  const id = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    onSubmit(textField(data, 'email'), textField(data, 'password'))
      .catch((cause: unknown) => setError(messageOf(cause)))
      .finally(() => setBusy(false));
  };
  return (
    <form className="stack" onSubmit={submit}>
      <label htmlFor={`${id}-email`}>Email</label>
      <input id={`${id}-email`} name="email" type="email" autoComplete="username" required />
      <label htmlFor={`${id}-password`}>
        Password{newPassword ? ` (at least ${MIN_PASSWORD_LENGTH} characters)` : ''}
      </label>
      <input
        id={`${id}-password`}
        name="password"
        type="password"
        autoComplete={newPassword ? 'new-password' : 'current-password'}
        minLength={newPassword ? MIN_PASSWORD_LENGTH : undefined}
        required
      />
      <button type="submit" className="primary" disabled={busy || disabled === true}>
        {busy ? busyLabel : submitLabel}
      </button>
      {error === null ? null : <ErrorNote title="That did not work" message={error} />}
    </form>
  );
}
