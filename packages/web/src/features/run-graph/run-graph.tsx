/**
 * The live DAG of a run (React Flow): the layout is computed when the graph's shape changes (a
 * map expands, a map is shown or hidden); the nodes' data (status, attempts, timing, usage,
 * selection) on every change. Edges into a running phase animate: data flows there. A map's
 * instances sit in a box and can be hidden behind the map's node. The nodes are buttons in the
 * page's tab order; the canvas pans and zooms but is not editable.
 */
import { useCallback, useMemo, useState } from 'react';
import { Background, Controls, ReactFlow, type Edge, type Node } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import type { PhaseDetails } from '../../store/run-facts.js';
import type { PhaseRow } from '../../store/selectors.js';
import { graphEdges, shapeKey } from './graph-layout.js';
import { layoutGrouped, mapSummaries, visibleRows } from './map-groups.js';
import { MapGroupNode, type MapGroupNodeType } from './map-group-node.js';
import { PhaseNode, type PhaseNodeType } from './phase-node.js';

const NODE_TYPES = { phase: PhaseNode, mapGroup: MapGroupNode };
const NO_DETAILS: ReadonlyMap<string, PhaseDetails> = new Map();

interface RunGraphProps {
  readonly rows: readonly PhaseRow[];
  readonly selectedId: string | null;
  onSelect: (id: string) => void;
  /** Timing and usage per phase (absent: the nodes show status and attempts only). */
  readonly details?: ReadonlyMap<string, PhaseDetails>;
}

export function RunGraph({ rows, selectedId, onSelect, details = NO_DETAILS }: RunGraphProps) {
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(() => new Set());
  const onToggle = useCallback(
    (map: string) =>
      setCollapsed((held) => {
        const next = new Set(held);
        if (!next.delete(map)) next.add(map);
        return next;
      }),
    [],
  );
  const shown = useMemo(() => visibleRows(rows, collapsed), [rows, collapsed]);
  const summaries = useMemo(() => mapSummaries(rows), [rows]);
  const key = shapeKey(shown);
  // Rows change on every status change; the layout only when the key does.
  const layout = useMemo(() => layoutGrouped(shown), [key]);
  const nodes = useMemo<(PhaseNodeType | MapGroupNodeType)[]>(() => {
    const byId = new Map(shown.map((row) => [row.id, row]));
    const groups: MapGroupNodeType[] = layout.groups.flatMap((box) => {
      const summary = summaries.get(box.map);
      if (summary === undefined) return [];
      return [
        {
          id: `group:${box.map}`,
          type: 'mapGroup' as const,
          position: { x: box.x, y: box.y },
          style: { width: box.width, height: box.height },
          data: { summary },
          draggable: false,
          connectable: false,
          selectable: false,
          focusable: false,
          zIndex: -1,
        },
      ];
    });
    const phases: PhaseNodeType[] = layout.placed.flatMap((at) => {
      const row = byId.get(at.id);
      if (row === undefined) return [];
      const instances = summaries.get(at.id);
      return [
        {
          id: at.id,
          type: 'phase' as const,
          position: { x: at.x, y: at.y },
          data: {
            row,
            details: details.get(at.id),
            selected: at.id === selectedId,
            onSelect,
            ...(instances === undefined ? {} : { instances, collapsed: collapsed.has(at.id), onToggle }),
          },
          draggable: false,
          connectable: false,
          selectable: false,
          focusable: false,
        },
      ];
    });
    return [...groups, ...phases];
  }, [layout, shown, summaries, details, selectedId, onSelect, collapsed, onToggle]);
  const edges = useMemo<Edge[]>(() => {
    const status = new Map(shown.map((row) => [row.id, row.status]));
    return graphEdges(shown).map((edge) => ({
      ...edge,
      animated: status.get(edge.target) === 'running',
      focusable: false,
    }));
  }, [shown]);
  return (
    <div className="graph" aria-label="Phases of the run">
      <ReactFlow<Node>
        nodes={nodes}
        edges={edges}
        nodeTypes={NODE_TYPES}
        fitView
        fitViewOptions={{ padding: 0.1, maxZoom: 1.1 }}
        minZoom={0.2}
        nodesDraggable={false}
        nodesConnectable={false}
        elementsSelectable={false}
        // Without a click handler React Flow gives nodes that are neither draggable nor selectable
        // `pointer-events: none`, and a click never reaches the node's button.
        onNodeClick={(_event, node) => onSelect(node.id)}
      >
        <Background gap={24} />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}
