import { StatusBadge } from '../../components/status-badge.js';
import { formatAgo, formatCost, formatTime } from '../../components/format.js';
import type { RunRow } from './run-rows.js';
import { TitleEditor } from './title-editor.js';

interface RunsTableProps {
  readonly rows: readonly RunRow[];
  readonly now: number;
  readonly onRename: (id: string, title: string) => Promise<void>;
}

/** The runs, one row each: status, title (a link to the run, renamed in place), workflow and stage, cost, updated. */
export function RunsTable({ rows, now, onRename }: RunsTableProps) {
  return (
    <table className="runs">
      <caption className="visually-hidden">Runs, newest first</caption>
      <thead>
        <tr>
          <th scope="col">Status</th>
          <th scope="col">Run</th>
          <th scope="col">Workflow</th>
          <th scope="col" className="number">
            Cost
          </th>
          <th scope="col">Updated</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.id}>
            <td>
              <StatusBadge status={row.status} />
            </td>
            <td>
              <TitleEditor runId={row.id} title={row.title ?? row.id} onRename={onRename} />
              {row.waitingFor !== undefined && row.waitingFor.length > 0 ? (
                <span className="hint"> · waits at {row.waitingFor.join(', ')}</span>
              ) : null}
            </td>
            <td>
              {row.workflow}
              {row.stage === null ? null : <span className="stage">{row.stage.replaceAll('_', ' ')}</span>}
            </td>
            <td className="number">{formatCost(row.costUsd)}</td>
            <td>
              <time dateTime={row.updatedAt} title={formatTime(row.updatedAt)}>
                {formatAgo(row.updatedAt, now)}
              </time>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
