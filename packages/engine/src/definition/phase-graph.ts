/**
 * The dependency graph of a list of phases, by index, shared by {@link topologicalOrder} and
 * {@link findCycles}.
 */

/** The minimum a graph helper needs of a phase: its id and the ids it needs. */
export interface PhaseNode {
  readonly id: string;
  readonly needs: readonly string[];
}

/** Phases as integer indices in definition order. */
export interface PhaseGraph {
  readonly ids: readonly string[];
  /** `needs[i]`: indices of the phases phase `i` needs (unknown ids and repeats dropped). */
  readonly needs: readonly (readonly number[])[];
  /** `dependents[i]`: indices of the phases that need phase `i`, in definition order. */
  readonly dependents: readonly (readonly number[])[];
}

/**
 * Builds the index graph. Unknown ids and repeated entries in `needs` are ignored (validation
 * reports them); when an id is defined twice, the first definition wins.
 */
export function buildPhaseGraph(phases: readonly PhaseNode[]): PhaseGraph {
  const indexOf = new Map<string, number>();
  phases.forEach((phase, index) => {
    if (!indexOf.has(phase.id)) indexOf.set(phase.id, index);
  });
  const needs: number[][] = [];
  const dependents: number[][] = phases.map(() => []);
  for (const phase of phases) {
    const own: number[] = [];
    for (const id of phase.needs) {
      const target = indexOf.get(id);
      if (target === undefined || own.includes(target)) continue;
      own.push(target);
    }
    needs.push(own);
  }
  // Filled in a second pass so every dependents list is in definition order.
  needs.forEach((own, index) => {
    for (const target of own) dependents[target]!.push(index);
  });
  return { ids: phases.map((phase) => phase.id), needs, dependents };
}
