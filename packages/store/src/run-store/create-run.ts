/**
 * `createRun`: the run's row, its first events, its phases and the tasks of its roots, in one
 * transaction (`mutate.ts`).
 *
 * Guarantees: a run exists whole or not at all; a second `createRun` with the same id is refused
 * (`INVALID_TRANSITION`) and writes nothing; creating a run wakes the workers.
 *
 * Locking: the INSERT of the run's row (`sql/insert-run.ts`, `ON CONFLICT DO NOTHING`) takes the
 * new row's lock; a racing insert of the same id waits for this transaction and then finds the row
 * there. Nobody else can lock a run that does not exist yet, so there is nothing to deadlock with.
 */
import { step, type RunInput, type Transition } from '@baton/engine';
import { insertRun } from '../sql/insert-run.js';
import { StepWrite } from '../step-write.js';
import type { StoreContext } from './context.js';
import { mutate } from './mutate.js';
import { refuse } from './refuse.js';

/** Creates a run from a `create` input (see above). */
export async function createRun(
  ctx: StoreContext,
  input: Extract<RunInput, { type: 'create' }>,
  now: number,
): Promise<Transition> {
  const result = step(undefined, input, now);
  if (!result.ok) return result;
  const created = await mutate(ctx, async (tx, changed) => {
    if (!(await insertRun(tx, result.state))) {
      tx.rollbackOnReturn();
      return false;
    }
    const write = new StepWrite(result.state, { newRun: true });
    write.add(result);
    await write.writeLocked(tx, now);
    changed();
    return true;
  });
  if (!created) {
    return refuse('INVALID_TRANSITION', `run "${input.runId}" already exists; choose another run id`);
  }
  ctx.cache.remember(result.state);
  return result;
}
