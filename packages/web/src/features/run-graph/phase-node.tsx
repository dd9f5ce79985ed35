/**
 * A phase instance in the graph: its name, status badge, attempt count and, when it waits for a
 * person, a hand icon. The node is a button: Enter or Space (or a click) selects it. Its
 * accessible name is its visible text (`spec: Waiting for you, 1 attempt · gate`).
 */
import { memo } from 'react';
import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import { statusLook } from '../../components/status.js';
import type { PhaseRow } from '../../store/selectors.js';

type PhaseNodeData = {
  readonly row: PhaseRow;
  readonly selected: boolean;
  readonly onSelect: (id: string) => void;
};
export type PhaseNodeType = Node<PhaseNodeData, 'phase'>;

function PhaseNodeView({ data }: NodeProps<PhaseNodeType>) {
  const { row, selected, onSelect } = data;
  const look = statusLook(row.status);
  const attempts = row.attempts === 1 ? '1 attempt' : `${row.attempts} attempts`;
  return (
    <>
      <Handle type="target" position={Position.Left} isConnectable={false} />
      <button
        type="button"
        className={`phase-node tone-${look.tone}${selected ? ' selected' : ''}`}
        aria-pressed={selected}
        data-phase={row.id}
        data-status={row.status}
        onClick={() => onSelect(row.id)}
      >
        <span className="phase-name">{row.id}</span>
        <span className="visually-hidden">: </span>
        <span className={`badge tone-${look.tone}`}>
          <span className="badge-icon" aria-hidden="true">
            {look.icon}
          </span>
          {look.label}
        </span>
        <span className="visually-hidden">, </span>
        <span className="phase-meta">
          {attempts}
          {row.gate ? ' · gate' : ''}
        </span>
      </button>
      <Handle type="source" position={Position.Right} isConnectable={false} />
    </>
  );
}

export const PhaseNode = memo(PhaseNodeView);
