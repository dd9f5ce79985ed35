/**
 * `createRun`: the run's row, its first events, its phases and the tasks of its roots, in one
 * transaction (`mutate.ts`), in the tenant of the view that creates it (the local tenant for the
 * system scope).
 *
 * Guarantees: a run exists whole or not at all; a second `createRun` with the same id is refused
 * (`INVALID_TRANSITION`) and writes nothing — run ids are unique across tenants; a run of a tenant
 * the database does not have is refused (`INVALID_INPUT`); creating a run wakes the workers.
 *
 * Locking: the INSERT of the run's row (`sql/insert-run.ts`, `ON CONFLICT DO NOTHING`) takes the
 * new row's lock; a racing insert of the same id waits for this transaction and then finds the row
 * there. Nobody else can lock a run that does not exist yet, so there is nothing to deadlock with.
 * Its reference to the tenant's row takes a key-share lock on it, which only a change of the
 * tenant's key would wait for.
 */
import { LOCAL_TENANT, step, type RunInput, type Transition } from '@baton/engine';
import { insertRun } from '../sql/insert-run.js';
import { tenantExists } from '../sql/tenant-exists.js';
import { StepWrite } from '../step-write.js';
import type { StoreContext, TenantScope } from './context.js';
import { mutate } from './mutate.js';
import { refuse } from './refuse.js';

/** Creates a run from a `create` input in the scope's tenant (see above). */
export async function createRun(
  ctx: StoreContext,
  input: Extract<RunInput, { type: 'create' }>,
  now: number,
  scope: TenantScope,
): Promise<Transition> {
  const tenantId = scope ?? LOCAL_TENANT;
  const result = step(undefined, input, now);
  if (!result.ok) return result;
  const created = await mutate(ctx, async (tx, changed) => {
    if (!(await insertRun(tx, result.state, tenantId))) {
      tx.rollbackOnReturn();
      return (await tenantExists(tx, tenantId)) ? 'taken' : 'no-tenant';
    }
    const write = new StepWrite(result.state, tenantId, { newRun: true, contents: ctx.contents });
    write.add(result);
    await write.writeLocked(tx, now);
    changed();
    return 'created';
  });
  if (created === 'no-tenant') {
    return refuse('INVALID_INPUT', `no tenant "${tenantId}"; add it before creating its runs`);
  }
  if (created === 'taken') {
    return refuse('INVALID_TRANSITION', `run "${input.runId}" already exists; choose another run id`);
  }
  ctx.cache.add(result.state, tenantId);
  return result;
}
