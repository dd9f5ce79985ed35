/**
 * The timeline's time axis: a lane per phase instance, each attempt a bar from its start to its
 * end (to now while it runs), coloured and labelled by how it ended — a failed attempt and its
 * retry sit side by side. Windowed like the list; ticks while the run is under way.
 */
import type { RunState } from '@baton/engine';
import { statusLook } from '../../components/status.js';
import { useNow } from '../../components/use-now.js';
import { WindowedTable } from '../../components/windowed-table.js';
import { formatDuration } from '../run-graph/liveness.js';
import { timeRange, type AttemptBar, type AttemptLane } from './timeline-model.js';

const ROW_HEIGHT = 28;

/** An attempt's status as a phase status, for its look (colour, icon, text). */
const LOOK_OF: Readonly<Record<AttemptBar['status'], string>> = {
  ready: 'ready',
  running: 'running',
  succeeded: 'completed',
  failed: 'failed',
  abandoned: 'failed',
  cancelled: 'cancelled',
  suspended: 'waiting_for_human',
};

interface AttemptAxisProps {
  readonly lanes: readonly AttemptLane[];
  readonly state: RunState;
}

export function AttemptAxis({ lanes, state }: AttemptAxisProps) {
  const ticking = state.ended === undefined;
  const now = useNow(ticking ? 1000 : 60_000);
  const range = timeRange(state, now);
  const span = range.end - range.start;
  const at = (time: number) => `${(((time - range.start) / span) * 100).toFixed(3)}%`;
  return (
    <WindowedTable
      label="Attempts over time"
      className="attempt-axis"
      items={lanes}
      rowHeight={ROW_HEIGHT}
      empty="No attempt has started yet."
      rowKey={(lane) => lane.phaseId}
      rowProps={(lane) => ({ 'data-phase': lane.phaseId })}
      header={
        <>
          <span role="columnheader">Phase</span>
          <span role="columnheader" className="axis-ticks">
            <span>0 s</span>
            <span>{formatDuration(span / 2)}</span>
            <span>{formatDuration(span)}</span>
          </span>
        </>
      }
      cells={(lane) => (
        <>
          <span role="cell" className="lane-name" title={lane.phaseId}>
            {lane.phaseId}
          </span>
          <span role="cell" className="lane">
            {lane.bars.map((bar) => {
              const look = statusLook(LOOK_OF[bar.status]);
              const end = bar.end ?? now;
              return (
                <span
                  key={bar.attempt}
                  className={`bar tone-${look.tone}`}
                  data-attempt={bar.attempt}
                  style={{
                    left: at(bar.start),
                    width: `max(6px, ${at(range.start + Math.max(0, end - bar.start))})`,
                  }}
                  title={`attempt ${bar.attempt}: ${look.label}, ${formatDuration(end - bar.start)}`}
                >
                  <span aria-hidden="true">
                    {look.icon}
                    {bar.attempt > 1 ? bar.attempt : ''}
                  </span>
                  <span className="visually-hidden">
                    attempt {bar.attempt}: {look.label}, {formatDuration(end - bar.start)}
                  </span>
                </span>
              );
            })}
          </span>
        </>
      )}
    />
  );
}
