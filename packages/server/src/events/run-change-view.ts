/**
 * A run change as the tenant stream writes it (`data:` of its `run` frames): the run's row as
 * `GET /api/runs` lists it, plus what a dashboard shows of it beyond the list — its last event's
 * number, the phases waiting for a person and those running, its usage. `stage` is in the row too
 * (null when none of the workflow's `stages:` holds, or it names none).
 */
import type { ChangedRun } from '@baton/store';
import { isoTime } from '../runs/iso-time.js';

/** The JSON of a `run` frame. */
export interface RunChangeView {
  readonly id: string;
  readonly workflow: string;
  readonly status: string;
  readonly title?: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** The sequence number of the run's last event, as a string (`GET /api/runs/:id`'s `lastEventId`). */
  readonly lastEventId: string;
  /** The run's stage (the workflow's `stages:`); null when none holds. */
  readonly stage: string | null;
  /** Phases waiting for a person (a gate, a human phase, an agent's question, a budget), by id. */
  readonly waitingFor: readonly string[];
  /** Phases with an attempt running, by id. */
  readonly running: readonly string[];
  /** As in a run's view: `costUsd` null when a call's model has no price. */
  readonly usage: {
    readonly calls: number;
    readonly inputTokens: number;
    readonly outputTokens: number;
    readonly cachedTokens: number;
    readonly costUsd: number | null;
  };
}

/** The frame JSON of a changed run. */
export function runChangeView(run: ChangedRun): RunChangeView {
  const { usage } = run;
  return {
    id: run.id,
    workflow: run.workflowId,
    status: run.status,
    ...(run.title === undefined ? {} : { title: run.title }),
    createdAt: isoTime(run.createdAt),
    updatedAt: isoTime(run.updatedAt),
    lastEventId: String(run.lastSeq),
    stage: run.stage ?? null,
    waitingFor: run.waitingFor,
    running: run.running,
    usage: {
      calls: usage.calls,
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
      cachedTokens: usage.cachedTokens,
      costUsd: usage.unpricedCalls > 0 ? null : usage.costUsd,
    },
  };
}
