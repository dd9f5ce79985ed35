/**
 * Map phases at run time. A map's first attempt reads its items (the runtime hands over `over`'s
 * output as the attempt's output): the scheduler checks them and expands the map into one
 * instance of its template per element (`map_expanded`). The map then waits for its instances —
 * at most `concurrency` elements in progress at a time — and its next attempt collects their
 * outputs into its own. The rules are in `docs/engine.md`, "Map".
 */
import { findCycles } from '../definition/find-cycles.js';
import { MAX_MAP_INSTANCES } from '../definition/rules.js';
import type { MapElement, OutputPayload, PhaseDefinition, PhaseError, RunState } from '../types.js';
import type { StepContext } from './step-context.js';

/**
 * Reads the items of an expanding map's attempt and expands it. Returns `empty` when there are
 * no items (the map's output is then the empty array it read, accepted as usual), `done` when it
 * expanded or its attempt failed.
 */
export function expandMap(
  ctx: StepContext,
  mapId: string,
  attempt: number,
  payload: OutputPayload,
): 'empty' | 'done' {
  const def = ctx.definition(mapId);
  const read = readElements(def, payload);
  if ('code' in read) {
    ctx.failAttempt(mapId, attempt, read, false);
    return 'done';
  }
  if (read.length === 0) return 'empty';
  ctx.emit({ type: 'map_expanded', phaseId: mapId, attempt, elements: read });
  for (const id of ctx.state.instances[mapId] ?? []) ctx.examine(id);
  return 'done';
}

type ElementsOrError = MapElement[] | PhaseError;

/** The elements of a map's items: their ids and dependencies, checked (no cycle, ids known). */
function readElements(def: PhaseDefinition, payload: OutputPayload): ElementsOrError {
  const over = def.map?.over ?? '';
  const size = def.map?.phases.length ?? 1;
  let items: unknown;
  try {
    items = payload.mediaType === 'application/json' ? JSON.parse(payload.text) : undefined;
  } catch {
    items = undefined;
  }
  if (!Array.isArray(items)) {
    const what = items === undefined ? 'text' : describe(items);
    return {
      code: 'MAP_NOT_ARRAY',
      message: `"${def.id}" maps over the output of "${over}", which is not a JSON array (it is ${what})`,
    };
  }
  if (items.length * size > MAX_MAP_INSTANCES) {
    return {
      code: 'MAP_TOO_LARGE',
      message: `"${def.id}" would add ${items.length * size} phases (${items.length} elements × ${size}); at most ${MAX_MAP_INSTANCES}`,
    };
  }
  const indexOf = new Map<string, number>();
  const raw: { id?: string; dependsOn?: string[] }[] = [];
  for (const [index, item] of items.entries()) {
    const element = readElement(item, index);
    if ('code' in element) return element;
    if (element.id !== undefined) {
      const first = indexOf.get(element.id);
      if (first !== undefined) {
        return itemsError(`elements ${first} and ${index} have the same id "${element.id}"`);
      }
      indexOf.set(element.id, index);
    }
    raw.push(element);
  }
  const elements: MapElement[] = [];
  for (const [index, element] of raw.entries()) {
    const dependsOn: number[] = [];
    for (const other of element.dependsOn ?? []) {
      const at = indexOf.get(other);
      if (at === undefined) {
        return itemsError(`element ${index} depends on "${other}", but no element has that id`);
      }
      if (at === index) {
        return { code: 'MAP_CYCLE', message: `element ${index} ("${other}") depends on itself` };
      }
      dependsOn.push(at);
    }
    elements.push({
      ...(element.id === undefined ? {} : { id: element.id }),
      ...(dependsOn.length === 0 ? {} : { dependsOn }),
    });
  }
  const cycles = findCycles(
    raw.flatMap((element) =>
      element.id === undefined ? [] : [{ id: element.id, needs: element.dependsOn ?? [] }],
    ),
    { limit: 1 },
  );
  if (cycles.length > 0) {
    const cycle = cycles[0]!;
    return {
      code: 'MAP_CYCLE',
      message: `the elements of "${def.id}" depend on each other in a cycle: ${[...cycle, cycle[0]].join(' -> ')}`,
    };
  }
  return elements;
}

function readElement(item: unknown, index: number): { id?: string; dependsOn?: string[] } | PhaseError {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return {};
  const { id, dependsOn } = item as { id?: unknown; dependsOn?: unknown };
  if (id !== undefined && typeof id !== 'string' && typeof id !== 'number') {
    return itemsError(`element ${index}: id must be text or a number, got ${describe(id)}`);
  }
  if (dependsOn === undefined) return id === undefined ? {} : { id: String(id) };
  if (
    !Array.isArray(dependsOn) ||
    !dependsOn.every((d): d is string | number => typeof d === 'string' || typeof d === 'number')
  ) {
    return itemsError(
      `element ${index}: dependsOn must be a list of element ids, got ${describe(dependsOn)}`,
    );
  }
  return { ...(id === undefined ? {} : { id: String(id) }), dependsOn: dependsOn.map(String) };
}

function itemsError(message: string): PhaseError {
  return { code: 'MAP_ITEMS', message };
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/**
 * The elements of each map in progress (started — some instance is not blocked — and not
 * finished — some instance neither completed nor skipped), as of the current state: recomputed
 * for a map when an event was emitted since it was last counted.
 */
export class ElementSlots {
  private readonly counted = new Map<string, { readonly seq: number; readonly busy: ReadonlySet<number> }>();

  constructor(private readonly ctx: StepContext) {}

  /** True when the instance may start now: its element is in progress or a slot is free. */
  mayStart(phaseId: string): boolean {
    const origin = this.ctx.definition(phaseId).instanceOf;
    if (origin === undefined) return true;
    const busy = this.inProgress(origin.map);
    const limit = this.ctx.definition(origin.map).map?.concurrency ?? Infinity;
    return busy.has(origin.index) || busy.size < limit;
  }

  private inProgress(mapId: string): ReadonlySet<number> {
    const seq = this.ctx.state.seq;
    const cached = this.counted.get(mapId);
    if (cached !== undefined && cached.seq === seq) return cached.busy;
    const busy = mapProgress(this.ctx.state, mapId).inProgress;
    this.counted.set(mapId, { seq, busy });
    return busy;
  }
}

/**
 * How far a map's elements are: how many it has, how many are done (every instance completed or
 * skipped) and which are in progress (some instance left `blocked`, not all done); all zero for a
 * map that has not read its items.
 */
export function mapProgress(
  state: RunState,
  mapId: string,
): { readonly elements: number; readonly done: number; readonly inProgress: ReadonlySet<number> } {
  const started = new Set<number>();
  const unfinished = new Set<number>();
  for (const id of state.instances[mapId] ?? []) {
    const index = state.definitions[id]?.instanceOf?.index ?? 0;
    const status = state.phases[id]?.status;
    if (status !== 'blocked') started.add(index);
    if (status !== 'completed' && status !== 'skipped') unfinished.add(index);
  }
  const elements = state.phases[mapId]?.expansion?.elements.length ?? 0;
  return {
    elements,
    done: elements - unfinished.size,
    inProgress: new Set([...started].filter((index) => unfinished.has(index))),
  };
}
