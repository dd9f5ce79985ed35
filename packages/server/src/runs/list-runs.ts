/**
 * One page of a tenant's runs, newest first, filtered by status and workflow, after a cursor.
 *
 * TODO(tenancy): the store's `listRuns({limit})` has neither filters nor a keyset yet, so
 * {@link selectRunSummaries} reads every run and filters here. When the store takes
 * `listRuns({status, workflowId, before, limit})`, replace its body with that one call — nothing
 * else changes.
 */
import type { RunStatus, RunStore, RunSummary } from '@baton/engine';
import type { RunCursor } from './run-cursor.js';

/** What a page asks for. */
export interface RunListQuery {
  readonly status?: RunStatus;
  readonly workflowId?: string;
  /** Only runs strictly after this one in the order (created earlier, or at once with a smaller id). */
  readonly before?: RunCursor;
  readonly limit: number;
}

/** Up to `query.limit` runs, newest first (`created_at DESC, id DESC`), matching `query`. */
export async function selectRunSummaries(store: RunStore, query: RunListQuery): Promise<RunSummary[]> {
  const { status, workflowId, before } = query;
  return after(await store.listRuns(), before)
    .filter(
      (run) =>
        (status === undefined || run.status === status) &&
        (workflowId === undefined || run.workflowId === workflowId),
    )
    .slice(0, query.limit);
}

/**
 * The runs after the cursor in the store's own order: after the cursor's run when it is still
 * listed (ties of `createdAt` keep the store's order of ids), else by comparing with it.
 */
function after(runs: readonly RunSummary[], before: RunCursor | undefined): readonly RunSummary[] {
  if (before === undefined) return runs;
  const index = runs.findIndex((run) => run.id === before.id && run.createdAt === before.createdAt);
  if (index >= 0) return runs.slice(index + 1);
  return runs.filter(
    (run) => run.createdAt < before.createdAt || (run.createdAt === before.createdAt && run.id < before.id),
  );
}
