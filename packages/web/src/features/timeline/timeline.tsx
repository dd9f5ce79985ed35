/**
 * The run's timeline, below the graph: its events as a compact list and its attempts as bars on a
 * time axis (a failed attempt and its retries side by side in the phase's lane), filterable by
 * phase and event type. Both read the store's log and fold, so they move with the stream.
 */
import { useId, useMemo, useState } from 'react';
import type { RunEvent, RunState } from '@baton/engine';
import { AttemptAxis } from './attempt-axis.js';
import { EventList } from './event-list.js';
import {
  filterEntries,
  filterOptions,
  isFiltered,
  NO_FILTER,
  type TimelineFilter,
} from './timeline-filter.js';
import { attemptLanes, timelineEntries } from './timeline-model.js';
import './timeline.css';

interface TimelineProps {
  readonly log: readonly RunEvent[];
  readonly state: RunState;
  readonly onSelectPhase: (phaseId: string) => void;
}

export function Timeline({ log, state, onSelectPhase }: TimelineProps) {
  const id = useId();
  const [filter, setFilter] = useState<TimelineFilter>(NO_FILTER);
  const entries = useMemo(() => timelineEntries(log), [log]);
  const options = useMemo(() => filterOptions(entries), [entries]);
  const shown = useMemo(() => filterEntries(entries, filter), [entries, filter]);
  const lanes = useMemo(() => {
    const all = attemptLanes(state);
    return filter.phase === null ? all : all.filter((lane) => lane.phaseId === filter.phase);
  }, [state, filter.phase]);
  return (
    <section className="timeline" aria-labelledby={`${id}-title`}>
      <div className="timeline-head">
        <h2 id={`${id}-title`}>Timeline</h2>
        <span className="hint" role="status">
          {isFiltered(filter) ? `${shown.length} of ${entries.length} events` : `${entries.length} events`}
        </span>
        <label htmlFor={`${id}-phase`}>Phase</label>
        <select
          id={`${id}-phase`}
          value={filter.phase ?? ''}
          onChange={(event) => setFilter({ ...filter, phase: event.target.value || null })}
        >
          <option value="">All phases</option>
          {options.phases.map((phase) => (
            <option key={phase} value={phase}>
              {phase}
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-type`}>Event</label>
        <select
          id={`${id}-type`}
          value={filter.type ?? ''}
          onChange={(event) => setFilter({ ...filter, type: event.target.value || null })}
        >
          <option value="">All events</option>
          {options.types.map((type) => (
            <option key={type} value={type}>
              {type.replaceAll('_', ' ')}
            </option>
          ))}
        </select>
        {isFiltered(filter) ? (
          <button type="button" className="quiet" onClick={() => setFilter(NO_FILTER)}>
            Clear filters
          </button>
        ) : null}
      </div>
      <div className="timeline-body">
        <EventList entries={shown} onSelectPhase={onSelectPhase} />
        <AttemptAxis lanes={lanes} state={state} />
      </div>
    </section>
  );
}
