/**
 * The ledger of model calls: one row per call an agent made (tokens, cost), and the run's totals.
 *
 * Guarantees: a recorded call is committed once `recordModelCall` resolves; `modelUsage` sums the
 * committed rows. The ledger is written outside the run's transitions: it does not move the run.
 *
 * Locking: none. Each call is one INSERT of a new row (no row is ever updated) and the reads only
 * read, so nothing here waits for a lock.
 */
import type { RunStore } from '@baton/engine';
import { insertModelCall } from '../sql/insert-model-call.js';
import { selectModelCalls } from '../sql/select-model-calls.js';
import { selectModelUsage } from '../sql/select-model-usage.js';
import type { StoreContext } from './context.js';

/** The store's model-call ledger (see above). */
export function ledgerMethods(
  ctx: StoreContext,
): Pick<RunStore, 'recordModelCall' | 'listModelCalls' | 'modelUsage'> {
  const { db } = ctx;
  return {
    async recordModelCall(call) {
      await insertModelCall(db, call);
    },

    async listModelCalls(runId) {
      return selectModelCalls(db, runId);
    },

    async modelUsage(runId) {
      return selectModelUsage(db, runId);
    },
  };
}
