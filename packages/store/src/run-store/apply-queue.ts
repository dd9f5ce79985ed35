/**
 * Per-run batching of `apply` (group commit): this store's inputs of one run are written one
 * write after another — they would wait on the run's row lock anyway — and the inputs that arrive
 * while a write of their run is in flight are written together by the next one: results that
 * finish at the same moment share one statement and one commit.
 *
 * Guarantees: the inputs of a run are decided and written in the order `apply` was called, each
 * on the state the previous one left; every `apply` settles exactly once (resolved with its
 * transition, or rejected with the error of its write). Each write takes the one-statement path
 * (`one-statement.ts`) when the run is cached, else — or when that path declines — the locked path
 * (`apply-locked.ts`) for one input. When the one statement fails with a storage error (refused,
 * or its answer lost: it may have committed), the input falls back to the locked path, which reads
 * what the database holds; each such fallback is counted (`onFallback`) and logged (`log`). Any
 * other error is a bug and rejects the input's `apply` instead of being retried.
 *
 * Views: one queue per store serves every view (tenant) of it, so a run's writes stay one at a time
 * whichever view applies them. Each input carries its view's scope: the one-statement path takes
 * it only for a run the cache says is that tenant's; otherwise the locked path decides, looking the
 * run up within the scope (another tenant's run is `RUN_NOT_FOUND`).
 *
 * Locking: none in the database. In this process, at most one write per run is in flight: a run
 * has a queue while it is being drained, and `apply` only appends to it. JavaScript runs one
 * callback at a time, so no two drains of one run can start. Writes of different runs, and of
 * other stores (processes), run concurrently; the database's run-row lock and the one statement's
 * guard order them.
 */
import { type ApplyOptions, type RunInput, type RunStore, type Transition } from '@baton/engine';
import { isStoreError, StoreErrorCode, type StoreError } from '../store-error.js';
import { applyLocked } from './apply-locked.js';
import type { StoreContext, TenantScope } from './context.js';
import { applyInOneStatement, type PendingApply } from './one-statement.js';

/**
 * The store's `apply` for each view: queues the input behind the run's write in flight, if any
 * (see above). Call once per store; call the result once per view, with the view's scope.
 */
export function createApply(ctx: StoreContext): (scope: TenantScope) => RunStore['apply'] {
  /** Per run, the applies waiting while one of its writes is in flight. */
  const pending = new Map<string, PendingApply[]>();

  function enqueue(runId: string, item: PendingApply): void {
    const queue = pending.get(runId);
    if (queue !== undefined) {
      queue.push(item);
      return;
    }
    const fresh = [item];
    pending.set(runId, fresh);
    void drain(runId, fresh);
  }

  async function drain(runId: string, queue: PendingApply[]): Promise<void> {
    // Let applies made in the same tick join the first batch.
    await Promise.resolve();
    while (queue.length > 0) {
      const batch = queue.splice(0);
      let done = 0;
      while (done < batch.length) {
        const cached = ctx.cache.peek(runId);
        const tenantId = ctx.cache.tenantOf(runId);
        let written = 0;
        if (cached !== undefined && tenantId !== undefined) {
          try {
            written = await applyInOneStatement(ctx, cached, tenantId, batch.slice(done));
          } catch (error) {
            ctx.cache.forget(runId);
            if (!isStoreError(error, StoreErrorCode.storage)) {
              // A bug (the store's or the engine's), not the database: its caller must see it.
              batch[done]!.reject(error);
              done += 1;
              continue;
            }
            // The statement failed, or its answer was lost (it may have committed): the locked
            // path reads what the database holds, decides again, and reports its own error.
            reportFallback(ctx, runId, error);
          }
        }
        if (written > 0) {
          done += written;
          continue;
        }
        const item = batch[done]!;
        done += 1;
        try {
          item.resolve(await applyLocked(ctx, runId, item.input, item.now, item.options, item.scope));
        } catch (error) {
          item.reject(error);
        }
      }
    }
    pending.delete(runId);
  }

  return (scope) =>
    (runId: string, input: RunInput, now: number, options: ApplyOptions = {}) =>
      new Promise<Transition>((resolve, reject) => {
        enqueue(runId, { input, now, options, scope, resolve, reject });
      });
}

/**
 * Counts and logs a fallback from the one-statement path to the locked path. Like a wake-up, the
 * report only informs: a hook that throws must not stop the run's writes, so its error is dropped.
 */
function reportFallback(ctx: StoreContext, runId: string, error: StoreError): void {
  // Each hook on its own: a throwing one must neither stop the write nor silence the other.
  try {
    ctx.log(
      `baton: run "${runId}": the one-statement write failed, retrying under the run's lock (${error.message})`,
    );
  } catch {
    // See above.
  }
  try {
    ctx.onFallback?.({ runId, error });
  } catch {
    // See above.
  }
}
