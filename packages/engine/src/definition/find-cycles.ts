/**
 * Dependency cycles among phases.
 */
import { buildPhaseGraph, type PhaseGraph, type PhaseNode } from './phase-graph.js';

/** Options of {@link findCycles}. */
export interface FindCyclesOptions {
  /** Stop after this many cycles (default 100). */
  readonly limit?: number;
}

/**
 * Distinct dependency cycles, each once, as phase ids in run order: `['a', 'b', 'c']` means `b`
 * needs `a`, `c` needs `b` and `a` needs `c` (printed `a -> b -> c -> a`). Every cycle starts at
 * its phase defined first; the same phases always give the same cycles in the same order.
 *
 * Enumerating every elementary cycle can take exponential time, so this reports a covering set
 * instead: for each dependency that lies on some cycle and is not yet on a reported one, the
 * shortest cycle through it. Fixing the reported cycles therefore touches every dependency that
 * takes part in a cycle. A phase that needs itself is not reported here (validation reports it
 * on its own); unknown ids in `needs` are ignored. Iterative (Tarjan's strongly connected
 * components, then breadth-first searches), so long chains cannot overflow the stack.
 */
export function findCycles(phases: readonly PhaseNode[], options: FindCyclesOptions = {}): string[][] {
  const limit = options.limit ?? 100;
  const graph = buildPhaseGraph(phases);
  const component = stronglyConnectedComponents(graph);
  const size = new Map<number, number>();
  for (const c of component) size.set(c, (size.get(c) ?? 0) + 1);

  const n = graph.ids.length;
  const covered = new Set<number>();
  const cycles: string[][] = [];
  for (let from = 0; from < n && cycles.length < limit; from++) {
    const c = component[from]!;
    if (size.get(c)! < 2) continue;
    for (const to of graph.dependents[from]!) {
      if (to === from || component[to] !== c || covered.has(from * n + to)) continue;
      const path = shortestPath(graph, component, to, from);
      const cycle = [from, ...path.slice(0, -1)];
      cycle.forEach((node, i) => covered.add(node * n + cycle[(i + 1) % cycle.length]!));
      const start = cycle.reduce((best, node, i) => (node < cycle[best]! ? i : best), 0);
      cycles.push([...cycle.slice(start), ...cycle.slice(0, start)].map((i) => graph.ids[i]!));
      if (cycles.length >= limit) break;
    }
  }
  return cycles;
}

/** `component[i]`: the strongly connected component of phase `i` (Tarjan, iterative). */
function stronglyConnectedComponents(graph: PhaseGraph): number[] {
  const n = graph.ids.length;
  const index = new Array<number>(n).fill(-1);
  const low = new Array<number>(n).fill(0);
  const onStack = new Array<boolean>(n).fill(false);
  const component = new Array<number>(n).fill(-1);
  const stack: number[] = [];
  const frames: { node: number; next: number }[] = [];
  let counter = 0;
  let components = 0;

  for (let root = 0; root < n; root++) {
    if (index[root] !== -1) continue;
    frames.push({ node: root, next: 0 });
    index[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = true;
    while (frames.length > 0) {
      const frame = frames[frames.length - 1]!;
      const edges = graph.dependents[frame.node]!;
      if (frame.next < edges.length) {
        const to = edges[frame.next++]!;
        if (index[to] === -1) {
          index[to] = low[to] = counter++;
          stack.push(to);
          onStack[to] = true;
          frames.push({ node: to, next: 0 });
        } else if (onStack[to]) {
          low[frame.node] = Math.min(low[frame.node]!, index[to]!);
        }
        continue;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent !== undefined) low[parent.node] = Math.min(low[parent.node]!, low[frame.node]!);
      if (low[frame.node] === index[frame.node]) {
        let member: number;
        do {
          member = stack.pop()!;
          onStack[member] = false;
          component[member] = components;
        } while (member !== frame.node);
        components++;
      }
    }
  }
  return component;
}

/**
 * The shortest path `from -> ... -> to` along dependent edges inside one component, as the nodes
 * after `from` (ending with `to`). Both lie in the same strongly connected component, so it exists.
 */
function shortestPath(graph: PhaseGraph, component: readonly number[], from: number, to: number): number[] {
  const previous = new Map<number, number>([[from, -1]]);
  const queue = [from];
  for (let head = 0; head < queue.length && !previous.has(to); head++) {
    const node = queue[head]!;
    for (const next of graph.dependents[node]!) {
      if (component[next] !== component[from] || previous.has(next)) continue;
      previous.set(next, node);
      queue.push(next);
    }
  }
  const path: number[] = [];
  for (let node = to; node !== -1; node = previous.get(node)!) path.push(node);
  return path.reverse();
}
