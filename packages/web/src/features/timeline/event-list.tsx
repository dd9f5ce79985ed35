/** The timeline's list: one row per event (seq, time, type, phase, attempt, summary), windowed. */
import { WindowedTable } from '../../components/windowed-table.js';
import type { TimelineEntry } from './timeline-model.js';

const ROW_HEIGHT = 28;
const time = new Intl.DateTimeFormat('en', { hour: '2-digit', minute: '2-digit', second: '2-digit' });

interface EventListProps {
  readonly entries: readonly TimelineEntry[];
  readonly onSelectPhase: (phaseId: string) => void;
}

export function EventList({ entries, onSelectPhase }: EventListProps) {
  return (
    <WindowedTable
      label="Run events"
      className="event-list"
      items={entries}
      rowHeight={ROW_HEIGHT}
      follow
      empty="No events match the filters."
      rowKey={(entry) => String(entry.seq)}
      rowProps={(entry) => ({ 'data-seq': String(entry.seq), 'data-type': entry.type })}
      header={
        <>
          <span role="columnheader">#</span>
          <span role="columnheader">Time</span>
          <span role="columnheader">Event</span>
          <span role="columnheader">Phase</span>
          <span role="columnheader">Details</span>
        </>
      }
      cells={(entry) => (
        <>
          <span role="cell" className="seq">
            {entry.seq}
          </span>
          <span role="cell">
            <time dateTime={new Date(entry.at).toISOString()}>{time.format(entry.at)}</time>
          </span>
          <span role="cell" className={`event-type type-${entry.type}`}>
            {entry.type.replaceAll('_', ' ')}
          </span>
          <span role="cell">
            {entry.phaseId === undefined ? null : (
              <button
                type="button"
                className="link-button"
                tabIndex={-1}
                onClick={() => onSelectPhase(entry.phaseId!)}
              >
                {entry.phaseId}
                {entry.attempt === undefined ? '' : ` #${entry.attempt}`}
              </button>
            )}
          </span>
          <span role="cell" className="summary" title={entry.summary}>
            {entry.summary}
          </span>
        </>
      )}
    />
  );
}
