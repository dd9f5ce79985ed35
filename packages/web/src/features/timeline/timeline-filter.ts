/**
 * The timeline's filter: one phase instance (or all) and one event type (or all). Pure: the
 * options come from the entries, so a filter never offers what the run does not have.
 */
import type { TimelineEntry } from './timeline-model.js';

export interface TimelineFilter {
  /** Only this phase's events; null: every event. */
  readonly phase: string | null;
  /** Only events of this type; null: every type. */
  readonly type: string | null;
}

export const NO_FILTER: TimelineFilter = { phase: null, type: null };

export function isFiltered(filter: TimelineFilter): boolean {
  return filter.phase !== null || filter.type !== null;
}

function matches(filter: TimelineFilter, entry: TimelineEntry): boolean {
  return (
    (filter.phase === null || entry.phaseId === filter.phase) &&
    (filter.type === null || entry.type === filter.type)
  );
}

/** The entries the filter lets through; the same array when nothing is filtered. */
export function filterEntries(
  entries: readonly TimelineEntry[],
  filter: TimelineFilter,
): readonly TimelineEntry[] {
  return isFiltered(filter) ? entries.filter((entry) => matches(filter, entry)) : entries;
}

/** The phases and the event types the entries have, each in order of first appearance. */
export function filterOptions(entries: readonly TimelineEntry[]): {
  readonly phases: readonly string[];
  readonly types: readonly string[];
} {
  const phases = new Set<string>();
  const types = new Set<string>();
  for (const entry of entries) {
    if (entry.phaseId !== undefined) phases.add(entry.phaseId);
    types.add(entry.type);
  }
  return { phases: [...phases], types: [...types] };
}
