/**
 * The live DAG of a run (React Flow): the layout is computed when the graph's shape changes; the
 * nodes' data (status, attempts, selection) on every change. Edges into a running phase animate.
 * The nodes are buttons in the page's tab order; the canvas pans and zooms but is not editable.
 */
import { useMemo } from 'react';
import { Background, Controls, ReactFlow, type Edge } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import type { PhaseRow } from '../../store/selectors.js';
import { graphEdges, layoutGraph, shapeKey } from './graph-layout.js';
import { PhaseNode, type PhaseNodeType } from './phase-node.js';

const NODE_TYPES = { phase: PhaseNode };

interface RunGraphProps {
  readonly rows: readonly PhaseRow[];
  readonly selectedId: string | null;
  onSelect: (id: string) => void;
}

export function RunGraph({ rows, selectedId, onSelect }: RunGraphProps) {
  const key = shapeKey(rows);
  // Rows change on every status change; the layout only when the key does.
  const placed = useMemo(() => layoutGraph(rows), [key]);
  const nodes = useMemo<PhaseNodeType[]>(() => {
    const byId = new Map(rows.map((row) => [row.id, row]));
    return placed.flatMap((at) => {
      const row = byId.get(at.id);
      if (row === undefined) return [];
      return [
        {
          id: at.id,
          type: 'phase' as const,
          position: { x: at.x, y: at.y },
          data: { row, selected: at.id === selectedId, onSelect },
          draggable: false,
          connectable: false,
          selectable: false,
          focusable: false,
        },
      ];
    });
  }, [placed, rows, selectedId, onSelect]);
  const edges = useMemo<Edge[]>(() => {
    const status = new Map(rows.map((row) => [row.id, row.status]));
    return graphEdges(rows).map((edge) => ({
      ...edge,
      animated: status.get(edge.target) === 'running',
      focusable: false,
    }));
  }, [rows]);
  return (
    <div className="graph" aria-label="Phases of the run">
      <ReactFlow
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
