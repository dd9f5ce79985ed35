/**
 * The dashboard's filters: every run, or those failed, running, waiting for you, or done. Each
 * is one status the runs route filters on (`GET /api/runs?status=…`), so the server pages them;
 * the same test keeps out runs the live stream brings that do not (or no longer) match.
 */
import type { RunStatus } from '@baton/client';

export const RUN_FILTERS = [
  { id: 'all', label: 'All' },
  { id: 'failed', label: 'Failed', status: 'failed' },
  { id: 'running', label: 'Running', status: 'running' },
  { id: 'waiting', label: 'Waiting for you', status: 'waiting' },
  { id: 'done', label: 'Done', status: 'completed' },
] as const satisfies readonly { id: string; label: string; status?: RunStatus }[];

export type RunFilterId = (typeof RUN_FILTERS)[number]['id'];

/** The status the filter asks the server for; undefined for every run. */
export function filterStatus(id: RunFilterId): RunStatus | undefined {
  const filter = RUN_FILTERS.find((candidate) => candidate.id === id);
  return filter !== undefined && 'status' in filter ? filter.status : undefined;
}

/** Whether a run with `status` belongs under the filter. */
export function filterMatches(id: RunFilterId, status: RunStatus): boolean {
  const wanted = filterStatus(id);
  return wanted === undefined || wanted === status;
}
