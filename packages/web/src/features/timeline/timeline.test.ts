import { describe, expect, it } from 'vitest';
import { foldEvents, type RunEvent } from '@baton/engine';
import { BASE_LOG, numbered } from '../../store/run-fixtures.test-support.js';
import { filterEntries, filterOptions, isFiltered, NO_FILTER } from './timeline-filter.js';
import { attemptLanes, timelineEntries, timeRange } from './timeline-model.js';
import { atEnd, rowWindow } from './windowing.js';

/** spec waits at its gate, is sent back, fails once and is retried. */
const LOG: readonly RunEvent[] = [
  ...BASE_LOG,
  ...numbered(
    [
      {
        type: 'human_decision',
        phaseId: 'spec',
        attempt: 1,
        decision: 'request_changes',
        by: 'ana',
        feedback: 'more',
      },
      { type: 'phase_ready', phaseId: 'spec', attempt: 2 },
      { type: 'phase_started', phaseId: 'spec', attempt: 2 },
      {
        type: 'phase_failed',
        phaseId: 'spec',
        attempt: 2,
        error: { code: 'TIMEOUT', message: 'took too long' },
      },
      { type: 'phase_ready', phaseId: 'spec', attempt: 3 },
      { type: 'phase_started', phaseId: 'spec', attempt: 3 },
    ],
    BASE_LOG.length + 1,
  ),
];

describe('the timeline model', () => {
  it('lists every event of the log once, in seq order, with its phase, attempt and what it says', () => {
    const entries = timelineEntries(LOG);
    expect(entries.map((entry) => entry.seq)).toEqual(LOG.map((event) => event.seq));
    expect(entries[0]).toMatchObject({ type: 'run_created', summary: 'started by ana' });
    expect(entries.find((entry) => entry.type === 'phase_failed')).toMatchObject({
      phaseId: 'spec',
      attempt: 2,
      summary: 'TIMEOUT: took too long',
    });
    expect(entries.find((entry) => entry.type === 'human_decision')!.summary).toBe('request changes by ana');
  });

  it('draws each attempt of a phase as a bar in its lane, so a failure and its retry show side by side', () => {
    const lanes = attemptLanes(foldEvents(undefined, LOG));
    expect(lanes.map((lane) => lane.phaseId)).toEqual(['spec']);
    const bars = lanes[0]!.bars;
    expect(bars.map((bar) => [bar.attempt, bar.status])).toEqual([
      [1, 'succeeded'],
      [2, 'failed'],
      [3, 'running'],
    ]);
    expect(bars[1]!.end).toBeGreaterThan(bars[1]!.start);
    expect(bars[2]!.end).toBeUndefined();
    expect(bars[2]!.start).toBeGreaterThan(bars[1]!.end!);
  });

  it('runs its axis to now while the run is under way', () => {
    const state = foldEvents(undefined, LOG);
    const now = state.updatedAt + 60_000;
    expect(timeRange(state, now)).toEqual({ start: state.createdAt, end: now });
  });
});

describe('the timeline filter', () => {
  const entries = timelineEntries(LOG);

  it('lets everything through unfiltered, the same array back', () => {
    expect(isFiltered(NO_FILTER)).toBe(false);
    expect(filterEntries(entries, NO_FILTER)).toBe(entries);
  });

  it('keeps the events of one phase and one type, both at once', () => {
    const started = filterEntries(entries, { phase: 'spec', type: 'phase_started' });
    expect(started.map((entry) => entry.attempt)).toEqual([1, 2, 3]);
    expect(filterEntries(entries, { phase: 'plan', type: null })).toEqual([]);
    expect(filterEntries(entries, { phase: null, type: 'run_created' })).toHaveLength(1);
  });

  it('offers only the phases and the types the run has, in order of first appearance', () => {
    expect(filterOptions(entries)).toEqual({
      phases: ['spec'],
      types: [
        'run_created',
        'phase_ready',
        'phase_started',
        'phase_output',
        'waiting_for_human',
        'human_decision',
        'phase_failed',
      ],
    });
  });
});

describe('the windowed list', () => {
  it('draws only the rows in view and a few around them, however long the list', () => {
    expect(rowWindow(0, 280, 28, 10_000, 8)).toEqual({ start: 0, end: 19 });
    expect(rowWindow(28 * 5000, 280, 28, 10_000, 8)).toEqual({ start: 4992, end: 5019 });
    expect(rowWindow(28 * 20_000, 280, 28, 10_000, 8)).toEqual({ start: 10_000, end: 10_000 });
    expect(rowWindow(0, 280, 28, 0)).toEqual({ start: 0, end: 0 });
  });

  it('knows when the list is scrolled to its end (it then follows new rows)', () => {
    expect(atEnd(720, 280, 1000)).toBe(true);
    expect(atEnd(500, 280, 1000)).toBe(false);
  });
});
