/**
 * Map instances grouped in their map: a collapsed map hides its instances (the map's node then
 * stands for them, needing what they needed), an expanded one draws them inside a box. The layout
 * is dagre's compound layout, so a box never overlaps the phases around it. Pure.
 */
import { Graph, layout } from '@dagrejs/dagre';
import type { PhaseRow } from '../../store/selectors.js';
import { graphEdges, NODE_HEIGHT, NODE_WIDTH, type Placed } from './graph-layout.js';

/** A map's instances, counted by status (for the map's node and its box). */
export interface MapSummary {
  readonly map: string;
  readonly instances: number;
  readonly byStatus: Readonly<Record<string, number>>;
}

export function mapSummaries(rows: readonly PhaseRow[]): ReadonlyMap<string, MapSummary> {
  const counts = new Map<string, Record<string, number>>();
  for (const row of rows) {
    if (row.map === undefined) continue;
    const byStatus = counts.get(row.map) ?? {};
    byStatus[row.status] = (byStatus[row.status] ?? 0) + 1;
    counts.set(row.map, byStatus);
  }
  return new Map(
    [...counts].map(([map, byStatus]) => [
      map,
      { map, byStatus, instances: Object.values(byStatus).reduce((sum, n) => sum + n, 0) },
    ]),
  );
}

/**
 * The rows with the instances of `collapsed` maps left out; such a map needs what its instances
 * needed (outside the map), so the graph stays connected.
 */
export function visibleRows(rows: readonly PhaseRow[], collapsed: ReadonlySet<string>): PhaseRow[] {
  if (collapsed.size === 0) return [...rows];
  const hidden = new Map<string, PhaseRow>();
  for (const row of rows) if (row.map !== undefined && collapsed.has(row.map)) hidden.set(row.id, row);
  if (hidden.size === 0) return [...rows];
  return rows.flatMap((row) => {
    if (hidden.has(row.id)) return [];
    if (!row.needs.some((need) => hidden.has(need))) return [row];
    const needs = new Set<string>();
    for (const need of row.needs) {
      const instance = hidden.get(need);
      if (instance === undefined) needs.add(need);
      else for (const outer of instance.needs) if (!hidden.has(outer)) needs.add(outer);
    }
    return [{ ...row, needs: [...needs] }];
  });
}

/** A map's box around its drawn instances: top-left corner and size. */
export interface GroupBox {
  readonly map: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** Room for the box's label above its instances. */
const LABEL_SPACE = 28;

/** Top-left positions of the nodes, and a box per map whose instances are drawn. */
export function layoutGrouped(rows: readonly PhaseRow[]): {
  readonly placed: Placed[];
  readonly groups: GroupBox[];
} {
  const graph = new Graph({ compound: true });
  graph.setGraph({ rankdir: 'LR', nodesep: 28, ranksep: 64, marginx: 16, marginy: 16 });
  graph.setDefaultEdgeLabel(() => ({}));
  const maps = new Set(rows.flatMap((row) => (row.map === undefined ? [] : [row.map])));
  for (const map of maps) graph.setNode(groupId(map), { paddingTop: LABEL_SPACE });
  for (const row of rows) {
    graph.setNode(row.id, { width: NODE_WIDTH, height: NODE_HEIGHT });
    if (row.map !== undefined) graph.setParent(row.id, groupId(row.map));
  }
  for (const edge of graphEdges(rows)) graph.setEdge(edge.source, edge.target);
  layout(graph);
  const placed = rows.map((row) => {
    const node = graph.node(row.id) as { x: number; y: number };
    return { id: row.id, x: node.x - NODE_WIDTH / 2, y: node.y - NODE_HEIGHT / 2 };
  });
  const mapOf = new Map(rows.map((row) => [row.id, row.map]));
  const groups = [...maps].map((map) => {
    const inside = placed.filter((at) => mapOf.get(at.id) === map);
    const left = Math.min(...inside.map((at) => at.x)) - 12;
    const top = Math.min(...inside.map((at) => at.y)) - LABEL_SPACE;
    const right = Math.max(...inside.map((at) => at.x)) + NODE_WIDTH + 12;
    const bottom = Math.max(...inside.map((at) => at.y)) + NODE_HEIGHT + 12;
    return { map, x: left, y: top, width: right - left, height: bottom - top };
  });
  return { placed, groups };
}

function groupId(map: string): string {
  return `group:${map}`;
}
