/**
 * `deleteRun`: removes a run that is not running — its row, log, phases, tasks and artifacts — in
 * one transaction (`mutate.ts`) under the run's lock. Its model calls stay in the ledger, and file
 * contents stay, as do its artifacts' contents in the blob store (stored once per tenant by hash:
 * other runs of the tenant may share them) — until the blob sweep (`blobs/blob-sweep.ts`) frees
 * those no remaining row names.
 *
 * Guarantees: a run the scope does not see is `RUN_NOT_FOUND`; a run that is running, or whose
 * attempt still runs, is refused (`INVALID_TRANSITION`, `deleteRefusal` says what it is doing) and
 * nothing changes; otherwise the run is gone as a whole once this resolves, and the cache forgets
 * it. Deleting wakes subscribers (a watcher of the list re-reads it).
 *
 * Locking: the run's row (`sql/lock-run.ts`), like every transition, then its task rows as the
 * cascade deletes them — the order every transition uses. The check of running tasks is made
 * holding the run's lock, under which a task's lease changes hands (claims and recoveries take
 * it), so no task can start between the check and the delete. A claimer holding one of the run's
 * task rows never waits for the run's row (`try-lock-run.ts`), so waiting for it here cannot
 * deadlock; a heartbeat locks task rows and no run row, likewise.
 */
import { deleteRefusal, type DeleteRunResult } from '@baton/engine';
import { deleteRun as deleteRunRow } from '../sql/delete-run.js';
import { lockRun } from '../sql/lock-run.js';
import { selectRunningTasks } from '../sql/select-running-tasks.js';
import type { StoreContext, TenantScope } from './context.js';
import { mutate } from './mutate.js';
import { refuse, runNotFound } from './refuse.js';

/** Deletes a run of the scope unless it is running (see above). */
export async function deleteRun(
  ctx: StoreContext,
  runId: string,
  scope: TenantScope,
): Promise<DeleteRunResult> {
  const result = await mutate(ctx, async (tx, changed): Promise<DeleteRunResult> => {
    const row = await lockRun(tx, runId, scope);
    if (row === undefined) return runNotFound(runId);
    const state = await ctx.cache.load(tx, row);
    const busy = deleteRefusal(state, await selectRunningTasks(tx, runId, undefined));
    if (busy !== undefined) return refuse('INVALID_TRANSITION', busy);
    await deleteRunRow(tx, runId);
    changed();
    return { ok: true };
  });
  if (result.ok) ctx.cache.forget(runId);
  return result;
}
