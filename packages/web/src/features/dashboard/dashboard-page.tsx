import { useState } from 'react';
import './dashboard.css';
import { ErrorNote } from '../../components/error-note.js';
import { useNow } from '../../components/use-now.js';
import { NewRunForm } from './new-run-form.js';
import { filterMatches, filterStatus, RUN_FILTERS, type RunFilterId } from './run-filter.js';
import { RunsTable } from './runs-table.js';
import { useRunList } from './use-run-list.js';

/** The runs of the tenant, live, filtered by status, and a form to start one. */
export function DashboardPage() {
  const [filter, setFilter] = useState<RunFilterId>('all');
  const { rows: all, error, live, nextCursor, loadMore, rename } = useRunList(filterStatus(filter));
  const rows = all === null ? null : all.filter((row) => filterMatches(filter, row.status));
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
      <div className="run-filters" role="group" aria-label="Show runs">
        {RUN_FILTERS.map((option) => (
          <button
            key={option.id}
            type="button"
            aria-pressed={filter === option.id}
            onClick={() => setFilter(option.id)}
          >
            {option.label}
          </button>
        ))}
      </div>
      {error === null ? null : (
        <ErrorNote title="Could not read the runs" message={`${error} — reload the page to try again.`} />
      )}
      {rows === null ? (
        <p role="status">Loading the runs…</p>
      ) : rows.length === 0 ? (
        <p className="empty">
          {filter === 'all'
            ? 'No runs yet: pick a workflow above and start one.'
            : 'No runs match this filter: choose “All” to see every run.'}
        </p>
      ) : (
        <RunsTable rows={rows} now={now} onRename={rename} />
      )}
      {nextCursor === undefined ? null : (
        <button type="button" onClick={loadMore}>
          Show older runs
        </button>
      )}
    </main>
  );
}
