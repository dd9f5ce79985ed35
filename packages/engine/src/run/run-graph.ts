/**
 * The graph of a run: its phases' definitions, order, reverse edges and review loops, derived
 * from the workflow and the current expansion of each map. The fold recomputes it when a map
 * expands or drops its items; nothing else changes the graph.
 */
import { instanceId } from '../definition/validate-map.js';
import { reach } from '../definition/reach.js';
import type { MapElement, PhaseDefinition, RunState, WorkflowDefinition } from '../types.js';

/** The derived graph fields of a {@link RunState}. */
export type RunGraph = Pick<
  RunState,
  'definitions' | 'order' | 'instances' | 'dependents' | 'reviewerOf' | 'reviewScope' | 'waitsFor'
>;

/**
 * Builds the graph: every workflow phase in workflow order, each expanded map preceded by its
 * instances (elements in index order, template phases in template order) and needing them.
 */
export function buildRunGraph(
  workflow: WorkflowDefinition,
  expansionOf: (mapId: string) => readonly MapElement[] | undefined,
): RunGraph {
  const definitions: Record<string, PhaseDefinition> = {};
  const order: string[] = [];
  const instances: Record<string, string[]> = {};
  for (const phase of workflow.phases) {
    const elements = phase.map === undefined ? undefined : expansionOf(phase.id);
    if (elements === undefined) {
      definitions[phase.id] = phase;
      order.push(phase.id);
      continue;
    }
    const ids: string[] = [];
    for (const instance of instantiate(phase, elements)) {
      definitions[instance.id] = instance;
      order.push(instance.id);
      ids.push(instance.id);
    }
    instances[phase.id] = ids;
    definitions[phase.id] = { ...phase, needs: [...phase.needs, ...ids] };
    order.push(phase.id);
  }
  const dependents: Record<string, string[]> = {};
  for (const id of order) dependents[id] = [];
  for (const id of order) {
    for (const need of definitions[id]!.needs) dependents[need]?.push(id);
  }
  return { definitions, order, instances, dependents, ...reviewLoops(order, definitions, dependents) };
}

/**
 * The instances of a map's template for its elements. An instance needs what the map needs (the
 * map's upstream outputs, `over` among them), the template phases it needs in its own element,
 * and — when it starts its element — the `collect` phase and the final template phases of the
 * elements its element depends on. A reviewer in the template reviews the instance of its element.
 */
function instantiate(map: PhaseDefinition, elements: readonly MapElement[]): PhaseDefinition[] {
  const template = map.map?.phases ?? [];
  const needed = new Set(template.flatMap((phase) => phase.needs));
  // An element waits for what the elements it depends on end with, and receives their results.
  const finals = template.filter((phase) => !needed.has(phase.id)).map((phase) => phase.id);
  const awaited = [...new Set([map.map?.collect ?? map.id, ...finals])];
  const out: PhaseDefinition[] = [];
  elements.forEach((element, index) => {
    const at = (template: string): string => instanceId(map.id, index, template);
    for (const phase of template) {
      const needs = [...map.needs, ...phase.needs.map(at)];
      if (phase.needs.length === 0) {
        for (const other of element.dependsOn ?? []) {
          for (const final of awaited) needs.push(instanceId(map.id, other, final));
        }
      }
      out.push({
        ...phase,
        id: at(phase.id),
        needs,
        ...(phase.reviews === undefined ? {} : { reviews: at(phase.reviews) }),
        instanceOf: { map: map.id, index, template: phase.id },
      });
    }
  });
  return out;
}

/**
 * The review loops' graph facts (see `RunState`): for a reviewer `V` of `R`, its scope (the
 * phases between `R` and `V`, and `V`) and, for every other phase downstream of `R` (for a map's
 * instance `R`: every other instance of its map downstream of it), an ordering-only wait on `R`.
 */
function reviewLoops(
  order: readonly string[],
  definitions: Readonly<Record<string, PhaseDefinition>>,
  dependents: Readonly<Record<string, readonly string[]>>,
): Pick<RunState, 'reviewerOf' | 'reviewScope' | 'waitsFor'> {
  const reviewerOf: Record<string, string> = {};
  const reviewScope: Record<string, string[]> = {};
  const waitsFor: Record<string, string[]> = {};
  for (const reviewerId of order) {
    const reviewed = definitions[reviewerId]!.reviews;
    if (reviewed === undefined) continue;
    reviewerOf[reviewed] = reviewerId;
    const downstream = reach(reviewed, (id) => dependents[id] ?? []);
    const upstream = reach(reviewerId, (id) => definitions[id]?.needs ?? []);
    const scope = order.filter((id) => id === reviewerId || (downstream.has(id) && upstream.has(id)));
    reviewScope[reviewerId] = scope;
    const inScope = new Set(scope);
    // A reviewed instance holds back the other instances of its map; what follows the map waits
    // for the map itself (so nothing that already started gains a wait when a map expands).
    const map = definitions[reviewed]?.instanceOf?.map;
    for (const id of downstream) {
      if (inScope.has(id)) continue;
      if (map !== undefined && definitions[id]?.instanceOf?.map !== map) continue;
      (waitsFor[id] ??= []).push(reviewed);
    }
  }
  return { reviewerOf, reviewScope, waitsFor };
}
