/**
 * A phase instance in the graph: its name, status badge, attempt count, elapsed time, tokens and
 * cost; while it runs, when it last showed activity — or a **stalled** mark once it has been
 * quiet for a minute; a flag when a person is needed. A map with instances offers to show or hide
 * them. The node is a button: Enter or Space (or a click) selects it. Its accessible name is its
 * visible text (`spec: Waiting for you, 1 attempt · gate`).
 */
import { memo } from 'react';
import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import { formatCost } from '../../components/format.js';
import { statusLook } from '../../components/status.js';
import { useNow } from '../../components/use-now.js';
import type { PhaseDetails } from '../../store/run-facts.js';
import type { PhaseRow } from '../../store/selectors.js';
import { formatDuration, liveness } from './liveness.js';
import type { MapSummary } from './map-groups.js';

type PhaseNodeData = {
  readonly row: PhaseRow;
  readonly details: PhaseDetails | undefined;
  readonly selected: boolean;
  readonly onSelect: (id: string) => void;
  /** A map with instances: their summary, whether they are hidden, and the toggle. */
  readonly instances?: MapSummary;
  readonly collapsed?: boolean;
  readonly onToggle?: (map: string) => void;
};
export type PhaseNodeType = Node<PhaseNodeData, 'phase'>;

const tokens = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });

function PhaseNodeView({ data }: NodeProps<PhaseNodeType>) {
  const { row, details, selected, onSelect, instances, collapsed, onToggle } = data;
  const look = statusLook(row.status);
  const attempts = row.attempts === 1 ? '1 attempt' : `${row.attempts} attempts`;
  const usage =
    details?.tokens === undefined || details.tokens === 0
      ? ''
      : ` · ${tokens.format(details.tokens)} tok · ${formatCost(details.costUsd)}`;
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
        <span className="phase-name">
          {row.status === 'waiting_for_human' ? (
            <span className="needs-you" aria-hidden="true">
              ⚑{' '}
            </span>
          ) : null}
          {row.id}
        </span>
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
          {usage}
        </span>
        {details?.startedAt === undefined ? null : row.status === 'running' ? (
          <RunningLine details={details} />
        ) : (
          <EndedLine status={row.status} details={details} />
        )}
      </button>
      {instances === undefined || onToggle === undefined ? null : (
        <button
          type="button"
          className="map-toggle quiet"
          aria-expanded={collapsed !== true}
          onClick={() => onToggle(row.id)}
        >
          {collapsed === true
            ? `Show ${instances.instances} instances`
            : `Hide ${instances.instances} instances`}
        </button>
      )}
      <Handle type="source" position={Position.Right} isConnectable={false} />
    </>
  );
}

/** Elapsed and last activity, ticking every second (mounted only while the phase runs). */
function RunningLine({ details }: { readonly details: PhaseDetails }) {
  const now = useNow(1000);
  const live = liveness('running', details, now);
  if (live.stalled)
    return (
      <span className="phase-live stalled" data-stalled="true">
        <span aria-hidden="true">⚠ </span>Stalled: quiet for {formatDuration(live.quietMs ?? 0)}
      </span>
    );
  return (
    <span className="phase-live">
      {formatDuration(live.elapsedMs ?? 0)} · last activity {formatDuration(live.quietMs ?? 0)} ago
    </span>
  );
}

function EndedLine({ status, details }: { readonly status: string; readonly details: PhaseDetails }) {
  const live = liveness(status, details, details.endedAt ?? details.startedAt ?? 0);
  if (details.endedAt === undefined || live.elapsedMs === undefined) return null;
  return <span className="phase-live">took {formatDuration(live.elapsedMs)}</span>;
}

export const PhaseNode = memo(PhaseNodeView);
