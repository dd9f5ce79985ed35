/**
 * What the runs API needs from the store's tenancy change, kept here in small functions so the
 * merge touches only this file and `list-runs.ts`:
 *
 * - TODO(tenancy): a run's title — `RunState.title` and `RunSummary.title`, set by the engine
 *   input `{type: 'set_title', title, by, source: 'person'}`. Until it exists no run has a title,
 *   and renaming answers 501 `NOT_IMPLEMENTED` (nothing is written: the engine ignores the input).
 * - TODO(tenancy): `RunStore.deleteRun(runId)`. Until it exists deleting answers 501.
 * - TODO(tenancy): `listRuns({status, workflowId, before, limit})` — see `list-runs.ts`.
 */
import {
  step,
  type RunInput,
  type RunState,
  type RunStore,
  type RunSummary,
  type Transition,
} from '@baton/engine';
import { ApiError } from '../http-errors.js';

/** The run's title, once runs have one. */
export function runTitle(state: RunState): string | undefined {
  return (state as RunState & { readonly title?: string }).title;
}

/** A listed run's title, once runs have one. */
export function summaryTitle(summary: RunSummary): string | undefined {
  return (summary as RunSummary & { readonly title?: string }).title;
}

/**
 * Sets the run's title (the engine input `set_title`). Answers 501 on a store whose engine does
 * not know the input yet: the transition then leaves the title unchanged.
 */
export async function setRunTitle(
  store: RunStore,
  runId: string,
  title: string,
  by: string,
  now: number,
): Promise<Transition> {
  // TODO(tenancy): drop the cast once `set_title` is a RunInput.
  const input = { type: 'set_title', title, by, source: 'person' } as unknown as RunInput;
  const transition = await store.apply(runId, input, now);
  if (transition.ok && runTitle(transition.state) !== title) throw notYet('renaming a run');
  return transition;
}

/** Deletes the run with its events, artifacts and tasks (the store's `deleteRun`). */
export async function deleteStoredRun(store: RunStore, runId: string): Promise<void> {
  // TODO(tenancy): call `store.deleteRun(runId)` directly once the port has it.
  const withDelete = store as RunStore & { deleteRun?: (runId: string) => Promise<unknown> };
  if (typeof withDelete.deleteRun !== 'function') throw notYet('deleting a run');
  await withDelete.deleteRun(runId);
}

function notYet(what: string): ApiError {
  return new ApiError('NOT_IMPLEMENTED', `${what} is not supported by this server's store yet`);
}

/**
 * Whether the engine records a title given to a new run (`set_title` right after `create`),
 * found by stepping the pure scheduler, so that creating a run with a title is refused (501)
 * before anything is written when it does not. TODO(tenancy): remove with the cast above.
 */
export function titlesSupported(create: Extract<RunInput, { type: 'create' }>, now: number): boolean {
  const created = step(undefined, create, now);
  if (!created.ok) return true;
  const input = { type: 'set_title', title: 'title', by: create.by, source: 'person' } as unknown as RunInput;
  try {
    const titled = step(created.state, input, now);
    return titled.ok && runTitle(titled.state) === 'title';
  } catch {
    return false;
  }
}

/** 501 for a request that needs the store's tenancy change. */
export function titlesNotSupported(): ApiError {
  return notYet('giving a run a title');
}
