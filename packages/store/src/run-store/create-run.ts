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
 *
 * A fork's copied file trees name file contents (`blobs` rows) of the run forked from without
 * storing them. That run may be deleted meanwhile and the blob sweep free its files, so the
 * transaction marks those rows as relied on now (`sql/touch-blobs.ts`: locked in hash order, held
 * to the commit — a sweep then keeps them) and refuses the fork (`RUN_NOT_FOUND`, nothing written)
 * when one is gone already. See `blobs/blob-sweep.ts`.
 */
import {
  FILE_TREE_MEDIA_TYPE,
  LOCAL_TENANT,
  step,
  type Command,
  type RunInput,
  type Transition,
} from '@baton/engine';
import { treeHashes } from '../blobs/tree-hashes.js';
import { insertRun } from '../sql/insert-run.js';
import { tenantExists } from '../sql/tenant-exists.js';
import { touchBlobs } from '../sql/touch-blobs.js';
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
    const borrowed = borrowedFiles(result.commands);
    const found = await touchBlobs(tx, tenantId, borrowed, now);
    if (found.size < borrowed.length) {
      tx.rollbackOnReturn();
      return 'files-gone';
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
  if (created === 'files-gone') {
    return refuse(
      'RUN_NOT_FOUND',
      `the files of run "${input.fork?.runId ?? ''}"'s trees are gone: it was deleted while it was forked`,
    );
  }
  if (created === 'taken') {
    return refuse('INVALID_TRANSITION', `run "${input.runId}" already exists; choose another run id`);
  }
  ctx.cache.add(result.state, tenantId);
  return result;
}

/** The file contents the trees a new run stores name without storing them (a fork's copies). */
function borrowedFiles(commands: readonly Command[]): string[] {
  const borrowed = new Set<string>();
  for (const command of commands) {
    if (command.type !== 'store_artifact' || command.payload.mediaType !== FILE_TREE_MEDIA_TYPE) continue;
    const stored = new Set((command.payload.files ?? []).map((file) => file.sha256));
    for (const sha256 of treeHashes(command.payload.text) ?? []) {
      if (!stored.has(sha256)) borrowed.add(sha256);
    }
  }
  return [...borrowed].sort();
}
