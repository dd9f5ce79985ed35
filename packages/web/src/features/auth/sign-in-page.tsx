import { api } from '../../api.js';
import { useSession } from '../../app/session.js';
import { CredentialsForm } from './credentials-form.js';

/** Sign-in with email and password: a session cookie, then the page the person asked for. */
export function SignInPage() {
  const load = useSession((store) => store.load);
  return (
    <main className="auth-card" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">Sign in to Baton</h1>
      <CredentialsForm
        submitLabel="Sign in"
        busyLabel="Signing in…"
        newPassword={false}
        onSubmit={async (email, password) => {
          await api.auth.login({ email, password });
          await load();
        }}
      />
      <p className="hint">
        First start? Open the setup link <code>baton serve</code> printed to create the owner account.
      </p>
    </main>
  );
}
