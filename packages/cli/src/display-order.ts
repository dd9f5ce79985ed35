import type { RunState } from '@baton/engine';

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

/** How far an expanded map is: its elements, those finished, those in progress. */
function mapProgress(
  state: RunState,
  mapId: string,
): { readonly elements: number; readonly done: number; readonly inProgress: number } | undefined {
  const expansion = state.phases[mapId]?.expansion;
  if (expansion === undefined) return undefined;
  const started = new Set<number>();
  const unfinished = new Set<number>();
  for (const id of state.instances[mapId] ?? []) {
    const index = state.definitions[id]?.instanceOf?.index ?? 0;
    const status = state.phases[id]?.status;
    if (status !== 'blocked') started.add(index);
    if (status !== 'completed' && status !== 'skipped') unfinished.add(index);
  }
  const elements = expansion.elements.length;
  const inProgress = [...started].filter((index) => unfinished.has(index)).length;
  return { elements, done: elements - unfinished.size, inProgress };
}

/** `3/5 elements done · 2 in progress`. */
export function describeMapProgress(state: RunState, mapId: string): string | undefined {
  const progress = mapProgress(state, mapId);
  if (progress === undefined) return undefined;
  const busy = progress.inProgress > 0 ? ` · ${progress.inProgress} in progress` : '';
  return `${progress.done}/${progress.elements} elements done${busy}`;
}
