import { mapProgress, type RunState } from '@baton/engine';

/** A phase as the CLI lists it: a map's instances come right after their map, one level in. */
export interface DisplayRow {
  readonly id: string;
  readonly depth: 0 | 1;
}

/**
 * The run's phases in the order the CLI shows them: the run's order, except that each map's
 * instances (which run before it) are listed under it.
 */
export function displayOrder(state: RunState): DisplayRow[] {
  const instances = new Set(Object.values(state.instances).flat());
  const rows: DisplayRow[] = [];
  for (const id of state.order) {
    if (instances.has(id)) continue;
    rows.push({ id, depth: 0 });
    for (const child of state.instances[id] ?? []) rows.push({ id: child, depth: 1 });
  }
  return rows;
}

/** `3/5 elements done · 2 in progress`. */
export function describeMapProgress(state: RunState, mapId: string): string | undefined {
  if (state.phases[mapId]?.expansion === undefined) return undefined;
  const progress = mapProgress(state, mapId);
  const busy = progress.inProgress.size > 0 ? ` · ${progress.inProgress.size} in progress` : '';
  return `${progress.done}/${progress.elements} elements done${busy}`;
}
