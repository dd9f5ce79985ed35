/**
 * `/setup?token=…`: where the link `baton serve` prints on a first start lands. The token is read
 * once and taken out of the address bar and the history; the form creates the owner account
 * (`POST /api/auth/setup`), which signs them in.
 */
import { useState } from 'react';
import { api } from '../../api.js';
import { navigate } from '../../app/router.js';
import { useSession } from '../../app/session.js';
import { CredentialsForm } from './credentials-form.js';

function takeToken(): string {
  const token = new URLSearchParams(window.location.search).get('token') ?? '';
  if (window.location.search !== '') window.history.replaceState(null, '', window.location.pathname);
  return token;
}

export function SetupPage() {
  const [token] = useState(takeToken);
  const load = useSession((store) => store.load);
  return (
    <main className="auth-card" aria-labelledby="setup-title">
      <h1 id="setup-title">Set up Baton</h1>
      <p>Create the owner account of this Baton server.</p>
      {token === '' ? (
        <p className="warning" role="status">
          This address has no setup token: open the link <code>baton serve</code> printed in its console.
        </p>
      ) : null}
      <CredentialsForm
        submitLabel="Create the owner account"
        busyLabel="Creating the account…"
        newPassword
        disabled={token === ''}
        onSubmit={async (email, password) => {
          await api.auth.setup({ token, email, password });
          await load();
          navigate('/', { replace: true });
        }}
      />
    </main>
  );
}
