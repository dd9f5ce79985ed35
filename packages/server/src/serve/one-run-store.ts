/**
 * The API's view of the store in a process that executes only one run — a driving `baton run`,
 * `baton approve`… holding an embedded home and serving its socket. Nothing else would execute a
 * new run or one that an input makes go on, so starting a run (a fork too) and any input to
 * another run are refused with HOME_BUSY (409, retryable: the same request works once the holder
 * has ended). Reads of every run pass, and so do a title or the deletion of another run. Inputs to
 * the driven run pass: the holder's driver hears of them (a store wake-up, `observe`). The driven
 * run itself cannot be deleted while it is driven.
 */
import { ErrorCode, type RunStore } from '@baton/engine';
import { homeBusyError, type OneRunHolder } from '@baton/runtime';

/** `holder()` says, at each request, who holds the home and which run it drives (if any yet). */
export function oneRunStore(store: RunStore, holder: () => OneRunHolder): RunStore {
  return {
    ...store,
    createRun() {
      return Promise.reject(homeBusyError(holder(), 'cannot start a run here'));
    },
    async apply(runId, input, now, options) {
      const current = holder();
      if (runId !== current.runId && input.type !== 'set_title')
        throw homeBusyError(current, `run ${runId} cannot go on here`);
      return store.apply(runId, input, now, options);
    },
    async deleteRun(runId) {
      const current = holder();
      if (runId === current.runId)
        return {
          ok: false,
          error: {
            code: ErrorCode.invalidTransition,
            message: `run ${runId} is being driven by \`${current.command}\` (pid ${current.pid}): cancel it, or wait for it to end, then delete it`,
          },
        };
      return store.deleteRun(runId);
    },
  };
}
