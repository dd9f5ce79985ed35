/**
 * The dashboard's rows, pure: the first page of `GET /api/runs` merged with the tenant stream's
 * changes. A row is replaced only by a newer state of its run (`updatedAt`), so a page read after
 * a change, or a change replayed after a reconnect, never takes a row back in time.
 */
import type { RunChangeView, RunListItem, TenantEvent } from '@baton/client';

/** A run of `GET /api/runs`, with what the tenant stream adds. */
export interface RunRow extends RunListItem {
  /** Known once the stream told of the run (a page of the list has no usage). */
  readonly costUsd?: number | null;
  /** Phases waiting for a person (from the stream). */
  readonly waitingFor?: readonly string[];
}

export function rowOfListItem(item: RunListItem): RunRow {
  return { ...item };
}

function rowOfChange(run: RunChangeView): RunRow {
  const { usage, running: _running, lastEventId: _lastEventId, ...rest } = run;
  return { ...rest, costUsd: usage.costUsd };
}

/** Rows newest first (by creation). */
function ordered(rows: Iterable<RunRow>): RunRow[] {
  return [...rows].sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
}

/** `incoming` merged into `rows`: per run the newer state wins; what a change knew (cost) is kept. */
export function mergeRows(rows: readonly RunRow[], incoming: readonly RunRow[]): RunRow[] {
  const byId = new Map(rows.map((row) => [row.id, row]));
  for (const row of incoming) {
    const held = byId.get(row.id);
    if (held === undefined) byId.set(row.id, row);
    else if (row.updatedAt >= held.updatedAt) byId.set(row.id, { ...pick(held), ...row });
    else byId.set(row.id, { ...pick(row), ...held });
  }
  return ordered(byId.values());
}

/** What only a stream change carries, to keep under a newer row from a list page. */
function pick(row: RunRow): Partial<RunRow> {
  return {
    ...(row.costUsd === undefined ? {} : { costUsd: row.costUsd }),
    ...(row.waitingFor === undefined ? {} : { waitingFor: row.waitingFor }),
  };
}

/** One tenant stream event applied to the rows. */
export function applyTenantEvent(rows: readonly RunRow[], event: TenantEvent): readonly RunRow[] {
  switch (event.type) {
    case 'ready':
      return rows;
    case 'run':
      return mergeRows(rows, [rowOfChange(event.run)]);
    case 'run_deleted':
      return rows.some((row) => row.id === event.runId) ? rows.filter((row) => row.id !== event.runId) : rows;
    default:
      return unknownEvent(event, rows);
  }
}

/** A tenant event of a newer server: nothing to do with it. */
function unknownEvent(_event: never, rows: readonly RunRow[]): readonly RunRow[] {
  return rows;
}
