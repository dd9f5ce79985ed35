/**
 * The shell: who is signed in decides between the sign-in page and the app; the path picks the
 * page. `/setup` (the console's setup link) is open to anyone.
 */
import { useEffect } from 'react';
import { DashboardPage } from '../features/dashboard/dashboard-page.js';
import { SetupPage } from '../features/auth/setup-page.js';
import { SignInPage } from '../features/auth/sign-in-page.js';
import { RunPage } from '../features/run-detail/run-page.js';
import { ErrorNote } from '../components/error-note.js';
import { Link, useLocation } from './router.js';
import { useSession } from './session.js';

const RUN_PATH = /^\/runs\/([^/]+)\/?$/;

export function App() {
  const path = useLocation();
  const session = useSession((store) => store.session);
  const load = useSession((store) => store.load);
  useEffect(() => {
    void load();
  }, [load]);

  if (path === '/setup' && session.status !== 'signed-in') return <SetupPage />;
  switch (session.status) {
    case 'loading':
      return (
        <p role="status" className="page">
          Loading…
        </p>
      );
    case 'unreachable':
      return (
        <main className="page">
          <h1>Baton</h1>
          <ErrorNote
            title="The server did not answer"
            message={`${session.message} — is baton serve running? Reload to try again.`}
          />
        </main>
      );
    case 'signed-out':
      return <SignInPage />;
    case 'signed-in':
      return (
        <>
          <TopNav email={session.email} />
          <Page path={path} />
        </>
      );
  }
}

function Page({ path }: { readonly path: string }) {
  const run = RUN_PATH.exec(path);
  if (run !== null) return <RunPage key={run[1]} runId={decodeURIComponent(run[1]!)} />;
  if (path === '/' || path === '/setup') return <DashboardPage />;
  return (
    <main className="page">
      <h1>Not found</h1>
      <p>
        There is no page at <code>{path}</code>. <Link to="/">Go to the runs</Link>.
      </p>
    </main>
  );
}

function TopNav({ email }: { readonly email: string | null }) {
  const signOut = useSession((store) => store.signOut);
  return (
    <nav className="top-nav" aria-label="Main">
      <Link to="/" className="brand">
        Baton
      </Link>
      <span className="spacer" />
      {email === null ? null : <span className="who">{email}</span>}
      <button type="button" className="quiet" onClick={() => void signOut()}>
        Sign out
      </button>
    </nav>
  );
}
