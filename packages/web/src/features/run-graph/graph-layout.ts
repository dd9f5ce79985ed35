/**
 * The run's graph as React Flow nodes and edges, laid out by dagre (left to right): one node per
 * phase instance, an edge per `needs`. Pure, so it is tested without a browser; the layout only
 * changes when the graph does (a map expands), not on every status change.
 */
import { Graph, layout } from '@dagrejs/dagre';
import type { PhaseRow } from '../../store/selectors.js';

export const NODE_WIDTH = 208;
export const NODE_HEIGHT = 104;

export interface Placed {
  readonly id: string;
  readonly x: number;
  readonly y: number;
}

export interface GraphEdge {
  readonly id: string;
  readonly source: string;
  readonly target: string;
}

/** A key that changes exactly when the graph's shape does. */
export function shapeKey(rows: readonly PhaseRow[]): string {
  return rows.map((row) => `${row.id}<${row.needs.join(',')}`).join('|');
}

export function graphEdges(rows: readonly PhaseRow[]): GraphEdge[] {
  const ids = new Set(rows.map((row) => row.id));
  return rows.flatMap((row) =>
    row.needs
      .filter((need) => ids.has(need))
      .map((need) => ({ id: `${need}->${row.id}`, source: need, target: row.id })),
  );
}

/** Top-left positions of the nodes. */
export function layoutGraph(rows: readonly PhaseRow[]): Placed[] {
  const graph = new Graph();
  graph.setGraph({ rankdir: 'LR', nodesep: 28, ranksep: 64, marginx: 16, marginy: 16 });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const row of rows) graph.setNode(row.id, { width: NODE_WIDTH, height: NODE_HEIGHT });
  for (const edge of graphEdges(rows)) graph.setEdge(edge.source, edge.target);
  layout(graph);
  return rows.map((row) => {
    const node = graph.node(row.id) as { x: number; y: number };
    return { id: row.id, x: node.x - NODE_WIDTH / 2, y: node.y - NODE_HEIGHT / 2 };
  });
}
