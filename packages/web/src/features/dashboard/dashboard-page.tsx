import { ErrorNote } from '../../components/error-note.js';
import { useNow } from '../../components/use-now.js';
import { NewRunForm } from './new-run-form.js';
import { RunsTable } from './runs-table.js';
import { useRunList } from './use-run-list.js';

/** The runs of the tenant, live, and a form to start one. */
export function DashboardPage() {
  const { rows, error, live, nextCursor, loadMore } = useRunList();
  const now = useNow(10_000);
  return (
    <main className="page" aria-labelledby="dashboard-title">
      <div className="page-head">
        <h1 id="dashboard-title">Runs</h1>
        <span className={`connection ${live ? 'live' : 'offline'}`} role="status">
          <span aria-hidden="true">{live ? '●' : '○'}</span> {live ? 'Live' : 'Connecting…'}
        </span>
      </div>
      <NewRunForm />
      {error === null ? null : (
        <ErrorNote title="Could not read the runs" message={`${error} — reload the page to try again.`} />
      )}
      {rows === null ? (
        <p role="status">Loading the runs…</p>
      ) : rows.length === 0 ? (
        <p className="empty">No runs yet: pick a workflow above and start one.</p>
      ) : (
        <RunsTable rows={rows} now={now} />
      )}
      {nextCursor === undefined ? null : (
        <button type="button" onClick={loadMore}>
          Show older runs
        </button>
      )}
    </main>
  );
}
