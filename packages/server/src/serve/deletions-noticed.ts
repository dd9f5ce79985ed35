/**
 * A tenant's view of the store that reports every run deleted through it — so that the blob sweep
 * frees what the run alone used soon after (`blob-sweep.ts`), not only at its next interval.
 */
import type { RunStore } from '@baton/engine';

export function deletionsNoticed(
  store: RunStore,
  tenantId: string,
  onDeleted: (tenantId: string) => void,
): RunStore {
  return {
    ...store,
    async deleteRun(runId) {
      const deleted = await store.deleteRun(runId);
      if (deleted.ok) onDeleted(tenantId);
      return deleted;
    },
  };
}
