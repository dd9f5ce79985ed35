/**
 * A workflow's graph, small and read-only, for the "new run" form: its phases (name and kind)
 * laid out by dagre like a run's graph, edges from what a phase needs. Not focusable: the list of
 * phases is also said in text for assistive technology.
 */
import { useMemo } from 'react';
import { ReactFlow, type Edge, type Node } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import type { WorkflowSummary } from '@baton/client';
import type { PhaseRow } from '../../store/selectors.js';
import { graphEdges, layoutGraph } from '../run-graph/graph-layout.js';

export function WorkflowPreview({ workflow }: { readonly workflow: WorkflowSummary }) {
  const { nodes, edges } = useMemo(() => {
    const kinds = new Map(workflow.graph.nodes.map((node) => [node.id, node.kind]));
    const rows: PhaseRow[] = workflow.graph.nodes.map((node) => ({
      id: node.id,
      status: 'blocked',
      attempts: 0,
      gate: false,
      needs: workflow.graph.edges.filter((edge) => edge.to === node.id).map((edge) => edge.from),
    }));
    const placed: Node[] = layoutGraph(rows).map((at) => ({
      id: at.id,
      position: { x: at.x, y: at.y },
      data: { label: `${at.id} · ${kinds.get(at.id) ?? ''}` },
      className: 'preview-node',
      draggable: false,
      connectable: false,
      selectable: false,
      focusable: false,
    }));
    const lines: Edge[] = graphEdges(rows).map((edge) => ({ ...edge, focusable: false }));
    return { nodes: placed, edges: lines };
  }, [workflow]);
  return (
    <figure className="workflow-preview">
      <div className="workflow-preview-graph" aria-hidden="true">
        <ReactFlow
          nodes={nodes}
          edges={edges}
          fitView
          fitViewOptions={{ padding: 0.05 }}
          minZoom={0.05}
          nodesDraggable={false}
          nodesConnectable={false}
          elementsSelectable={false}
          panOnDrag={false}
          zoomOnScroll={false}
          zoomOnPinch={false}
          zoomOnDoubleClick={false}
          preventScrolling={false}
          proOptions={{ hideAttribution: true }}
        />
      </div>
      <figcaption>
        {workflow.id}: {workflow.phaseCount} phases — {workflow.graph.nodes.map((node) => node.id).join(', ')}
      </figcaption>
    </figure>
  );
}
