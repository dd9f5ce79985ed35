/**
 * A stable topological order of phases.
 */
import { buildPhaseGraph, type PhaseNode } from './phase-graph.js';

/**
 * Phase ids ordered so that every phase comes after the phases it needs; among phases that could
 * go in either order, the one defined first comes first (Kahn's algorithm with a min-heap on the
 * definition index, O(n log n + e), no recursion).
 *
 * Unknown ids in `needs` are ignored. Phases on a cycle, or downstream of one, cannot be ordered
 * and are left out, so a result shorter than `phases` means the graph has a cycle; a definition
 * accepted by `validateWorkflow` always yields every phase.
 */
export function topologicalOrder(phases: readonly PhaseNode[]): string[] {
  const graph = buildPhaseGraph(phases);
  const pending = graph.needs.map((own) => own.length);
  const heap = new MinHeap();
  pending.forEach((count, index) => {
    if (count === 0) heap.push(index);
  });
  const order: string[] = [];
  for (let next = heap.pop(); next !== undefined; next = heap.pop()) {
    order.push(graph.ids[next]!);
    for (const dependent of graph.dependents[next]!) {
      const left = pending[dependent]! - 1;
      pending[dependent] = left;
      if (left === 0) heap.push(dependent);
    }
  }
  return order;
}

/** A binary min-heap of integers. */
class MinHeap {
  private readonly items: number[] = [];

  push(value: number): void {
    const items = this.items;
    let index = items.push(value) - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (items[parent]! <= value) break;
      items[index] = items[parent]!;
      index = parent;
    }
    items[index] = value;
  }

  pop(): number | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (top === undefined || last === undefined || items.length === 0) return top;
    let index = 0;
    for (;;) {
      const left = index * 2 + 1;
      if (left >= items.length) break;
      const right = left + 1;
      const child = right < items.length && items[right]! < items[left]! ? right : left;
      if (items[child]! >= last) break;
      items[index] = items[child]!;
      index = child;
    }
    items[index] = last;
    return top;
  }
}
