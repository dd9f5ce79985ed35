/**
 * The ledger of model calls: one row per call an agent made (tokens, cost), and the run's totals,
 * within the view's scope (a tenant's view records and reads only its own runs' calls).
 *
 * Guarantees: a recorded call is committed once `recordModelCall` resolves, with its run's tenant;
 * a call for a run the scope does not have is refused (`RUN_NOT_FOUND`, nothing written);
 * `modelUsage` sums the committed rows. The ledger is written outside the run's transitions: it
 * does not move the run (no event, no `last_seq`), only stamps its change marker for the tenant
 * stream (`run-changes.ts`): the run's usage changed. Its rows outlive the run (`deleteRun` keeps
 * them: they were spent).
 *
 * Locking: each call is one statement: an INSERT of a new row and the UPDATE of the run's
 * `changed_xid`, which waits while a step holds the run's row lock (one step at most) and holds no
 * other lock, so it cannot deadlock. The reads only read.
 */
import { BatonError, type RunStore } from '@baton/engine';
import { insertModelCall } from '../sql/insert-model-call.js';
import { selectModelCalls } from '../sql/select-model-calls.js';
import { selectModelUsage } from '../sql/select-model-usage.js';
import type { StoreContext, TenantScope } from './context.js';

/** The model-call ledger of a view with `scope` (see above). */
export function ledgerMethods(
  ctx: StoreContext,
  scope: TenantScope,
): Pick<RunStore, 'recordModelCall' | 'listModelCalls' | 'modelUsage'> {
  const { db } = ctx;
  return {
    async recordModelCall(call) {
      if (!(await insertModelCall(db, call, scope))) {
        throw new BatonError('RUN_NOT_FOUND', `no run "${call.runId}" to record a model call for`, {
          context: { runId: call.runId },
        });
      }
    },

    async listModelCalls(runId) {
      return selectModelCalls(db, runId, scope);
    },

    async modelUsage(runId) {
      return selectModelUsage(db, runId, scope);
    },
  };
}
