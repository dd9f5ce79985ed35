/**
 * The timeline's model, pure (Temporal's web UI, compactly): the run's events as list entries —
 * seq, time, type, phase and attempt, a one-line summary — and each phase instance's attempts as
 * bars on a time axis, retries as further bars of the same lane. Built from the run's log and the
 * engine's fold of it, so it is exactly the stored log.
 */
import type { AttemptState, RunEvent, RunState } from '@baton/engine';

/** One event as the list shows it. */
export interface TimelineEntry {
  readonly seq: number;
  /** Epoch milliseconds. */
  readonly at: number;
  readonly type: string;
  readonly phaseId?: string;
  readonly attempt?: number;
  readonly summary: string;
}

export function timelineEntries(log: readonly RunEvent[]): TimelineEntry[] {
  return log.map(entryOf);
}

function entryOf(event: RunEvent): TimelineEntry {
  const phaseId = 'phaseId' in event ? event.phaseId : undefined;
  const attempt = 'attempt' in event && typeof event.attempt === 'number' ? event.attempt : undefined;
  return {
    seq: event.seq,
    at: event.at,
    type: event.type,
    ...(phaseId === undefined ? {} : { phaseId }),
    ...(attempt === undefined ? {} : { attempt }),
    summary: summaryOf(event),
  };
}

/** What an event says, in a few words (its type and phase are shown beside it). */
function summaryOf(event: RunEvent): string {
  switch (event.type) {
    case 'run_created':
      return `started by ${event.by}`;
    case 'phase_failed':
      return `${event.error.code}: ${event.error.message}`;
    case 'waiting_for_human':
      return event.reason;
    case 'human_decision':
      return `${event.decision.replaceAll('_', ' ')} by ${event.by}`;
    case 'review_verdict':
      return `${event.verdict} on ${event.reviews} (round ${event.round})`;
    case 'map_expanded':
      return `${event.elements.length} instances`;
    case 'phase_output':
      return `version ${event.artifact.version} (${event.source})`;
    case 'phase_completed':
      return event.version === undefined ? '' : `version ${event.version}`;
    case 'phase_skipped':
    case 'phase_cancelled':
    case 'phase_reset':
      return event.reason;
    case 'tool_called':
      return event.tool;
    case 'phase_warning':
      return `${event.code}: ${event.message}`;
    case 'run_titled':
      return event.title;
    case 'run_cancelled':
    case 'run_reopened':
      return `by ${event.by}${event.reason === undefined ? '' : `: ${event.reason}`}`;
    case 'run_paused':
    case 'run_resumed':
    case 'budget_raised':
    case 'run_rewound':
      return `by ${event.by}`;
    case 'run_failed':
      return event.reason;
    default:
      return '';
  }
}

/** One attempt on the time axis. */
export interface AttemptBar {
  readonly attempt: number;
  /** When it started (or became ready, if it never started); epoch ms. */
  readonly start: number;
  /** When it ended; absent while it runs or waits. */
  readonly end?: number;
  readonly status: AttemptState['status'];
}

/** A phase instance's lane: its attempts, oldest first. */
export interface AttemptLane {
  readonly phaseId: string;
  readonly bars: readonly AttemptBar[];
}

/** The lanes of every phase instance that had an attempt, in the run's order. */
export function attemptLanes(state: RunState): AttemptLane[] {
  return state.order.flatMap((phaseId) => {
    const attempts = state.phases[phaseId]?.attempts ?? [];
    if (attempts.length === 0) return [];
    const bars = attempts.map((attempt) => ({
      attempt: attempt.attempt,
      start: attempt.startedAt ?? attempt.readyAt,
      ...(attempt.endedAt === undefined ? {} : { end: attempt.endedAt }),
      status: attempt.status,
    }));
    return [{ phaseId, bars }];
  });
}

/** The axis: from the run's start to its last event, or to `now` while it is under way. */
export function timeRange(state: RunState, now: number): { readonly start: number; readonly end: number } {
  const over = state.ended !== undefined;
  const end = over ? state.updatedAt : Math.max(now, state.updatedAt);
  return { start: state.createdAt, end: Math.max(end, state.createdAt + 1000) };
}
