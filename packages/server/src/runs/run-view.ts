/**
 * A run as the API answers it: the snapshot `baton show --json` prints (`buildSnapshot`), plus the
 * run's title, inputs and times, the decisions it waits for, its usage (zero when no model was
 * called), when each running attempt last showed activity, and the id of its last event (where an
 * event stream picks up).
 */
import type { PhaseState, RunState, RunUsage } from '@baton/engine';
import {
  buildSnapshot,
  buildSnapshotWithUsage,
  storeOutputs,
  type OutputReader,
  type RunReader,
} from '@baton/runtime';
import type { PendingDecision, RunView } from '../schemas/run.js';
import { isoTime } from './iso-time.js';

/** When each phase's running attempt last showed activity (epoch ms), by phase id. */
export type PhaseActivity = ReadonlyMap<string, number>;

const NO_ACTIVITY: PhaseActivity = new Map();

const NO_USAGE = { calls: 0, inputTokens: 0, outputTokens: 0, cachedTokens: 0, costUsd: 0 };

/** What {@link buildRunView} is given instead of reading it. */
export interface RunViewReads {
  /** When running attempts last showed activity: overrides their start (default none reported). */
  readonly activity?: PhaseActivity;
  /** The run's usage, read already (default: read from the store). */
  readonly usage?: RunUsage;
  /** Reads the outputs shown (default: from the store). */
  readonly outputs?: OutputReader;
}

/** Builds the view of `state`, reading from `store` what `reads` does not give. */
export async function buildRunView(
  store: RunReader,
  state: RunState,
  reads: RunViewReads = {},
): Promise<RunView> {
  const outputs = reads.outputs ?? storeOutputs(store);
  const snapshot =
    reads.usage === undefined
      ? await buildSnapshot(store, state, outputs)
      : await buildSnapshotWithUsage(state, reads.usage, outputs);
  const activity = reads.activity ?? NO_ACTIVITY;
  const title = state.title;
  return {
    ...snapshot,
    // The snapshot's status is the run's, typed as a plain string there.
    status: state.status,
    usage: snapshot.usage ?? NO_USAGE,
    phases: snapshot.phases.map(({ versions, warnings, ...phase }) => {
      const at = lastActivity(state.phases[phase.id], activity.get(phase.id));
      return {
        ...phase,
        versions: [...versions],
        ...(warnings === undefined ? {} : { warnings: [...warnings] }),
        ...(at === undefined ? {} : { lastActivityAt: isoTime(at) }),
      };
    }),
    ...(title === undefined ? {} : { title }),
    inputs: { ...state.inputs },
    createdBy: state.createdBy,
    createdAt: isoTime(state.createdAt),
    updatedAt: isoTime(state.updatedAt),
    pendingDecisions: pendingDecisions(state),
    lastEventId: String(state.seq),
  };
}

/** A running attempt's latest activity: the one reported, else when it started. */
function lastActivity(phase: PhaseState | undefined, reported: number | undefined): number | undefined {
  if (phase?.status !== 'running') return undefined;
  const started = phase.attempts.at(-1)?.startedAt;
  if (reported !== undefined && (started === undefined || reported > started)) return reported;
  return started;
}

/** The phases waiting for a person, in the run's order, with what may answer each. */
function pendingDecisions(state: RunState): PendingDecision[] {
  const pending: PendingDecision[] = [];
  for (const id of state.order) {
    const phase = state.phases[id];
    if (phase?.status !== 'waiting_for_human' || phase.waiting === undefined) continue;
    pending.push({
      phaseId: id,
      source: phase.waiting.source,
      reason: phase.waiting.reason,
      since: isoTime(phase.waiting.since),
      decisions: allowedDecisions(phase.waiting.source, state.definitions[id]?.map !== undefined),
    });
  }
  return pending;
}

/** What the engine takes on a phase waiting with `source` (see `run/decisions.ts`). */
function allowedDecisions(source: string, isMap: boolean): PendingDecision['decisions'] {
  switch (source) {
    case 'human':
      return ['submit', 'reject'];
    case 'budget':
      return ['budget', 'reject'];
    case 'interrupt':
      return ['approve', 'request_changes', 'submit', 'reject'];
    default:
      // A gate, or a review loop out of rounds: a map's output is collected, not redone.
      return isMap ? ['approve', 'reject', 'edit'] : ['approve', 'reject', 'request_changes', 'edit'];
  }
}
