/**
 * The workloads of the comparison as plain DAGs (node ids and their parents), turned into a Baton
 * workflow or a LangGraph graph by each runner, so both run exactly the same graph.
 */
import {
  randomDag,
  toWorkload,
  type RawWorkflow,
  type Workload,
} from '../../packages/bench/src/workloads.js';

export interface Graph {
  readonly name: string;
  /** Node ids in a topological order. */
  readonly nodes: readonly string[];
  readonly parents: Readonly<Record<string, readonly string[]>>;
}

/** The seed of the 1,000-phase random DAG (the same as `npm run bench`'s 10,000-phase one). */
export const DAG_SEED = 20_240_601;

export function chainGraph(length: number): Graph {
  const nodes = Array.from({ length }, (_, i) => `p${String(i).padStart(3, '0')}`);
  return {
    name: `chain-${length}`,
    nodes,
    parents: Object.fromEntries(nodes.map((n, i) => [n, i === 0 ? [] : [nodes[i - 1]!]])),
  };
}

/** A root, `width` phases that need it, and a join that needs them all (`width + 2` steps). */
export function fanInGraph(width: number): Graph {
  const leaves = Array.from({ length: width }, (_, i) => `leaf${String(i).padStart(3, '0')}`);
  return {
    name: `fanout-${width}`,
    nodes: ['root', ...leaves, 'join'],
    parents: { root: [], ...Object.fromEntries(leaves.map((l) => [l, ['root']])), join: leaves },
  };
}

export function randomGraph(size: number): Graph {
  const { raw } = randomDag(size, DAG_SEED);
  return {
    name: `dag-${size}`,
    nodes: raw.phases.map((p) => p.id),
    parents: Object.fromEntries(raw.phases.map((p) => [p.id, p.needs ?? []])),
  };
}

/** start → (left, right) → join, then a chain of 6: 10 phases. */
export function diamondGraph(): Graph {
  const tail = Array.from({ length: 6 }, (_, i) => `t${i}`);
  return {
    name: 'diamond-10',
    nodes: ['start', 'left', 'right', 'join', ...tail],
    parents: {
      start: [],
      left: ['start'],
      right: ['start'],
      join: ['left', 'right'],
      ...Object.fromEntries(tail.map((t, i) => [t, [i === 0 ? 'join' : tail[i - 1]!]])),
    },
  };
}

/** The graph as a Baton workload: scripted agent phases answering `ok` at once. */
export function batonWorkload(graph: Graph): Workload {
  const raw: RawWorkflow = {
    id: `compare-${graph.name}`,
    fixtures: 'f.yaml',
    phases: graph.nodes.map((id) => {
      const needs = graph.parents[id] ?? [];
      return { id, kind: 'agent', agent: 'scripted', ...(needs.length > 0 ? { needs } : {}) };
    }),
  };
  return toWorkload(graph.name, raw);
}

/** Throws unless every node ran exactly once and after all its parents. */
export function checkOrder(graph: Graph, ran: readonly string[], who: string): void {
  const position = new Map<string, number>();
  for (const [index, node] of ran.entries()) {
    if (position.has(node)) throw new Error(`${who}: ${graph.name}: "${node}" ran twice`);
    position.set(node, index);
  }
  for (const node of graph.nodes) {
    const at = position.get(node);
    if (at === undefined) throw new Error(`${who}: ${graph.name}: "${node}" never ran`);
    for (const parent of graph.parents[node] ?? []) {
      if ((position.get(parent) ?? Infinity) > at)
        throw new Error(`${who}: ${graph.name}: "${node}" ran before its parent "${parent}"`);
    }
  }
  if (ran.length !== graph.nodes.length)
    throw new Error(`${who}: ${graph.name}: ${ran.length} steps ran, expected ${graph.nodes.length}`);
}
