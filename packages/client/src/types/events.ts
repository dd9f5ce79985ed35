/**
 * The tenant stream's events (`GET /api/events`), as the client hands them out: the server's
 * frames with their data parsed. See docs/server.md, "The tenant stream".
 */
import type { RunStatus } from './runs.js';

/** A run as a `run` frame shows it: its row in the run list, plus what a dashboard shows of it. */
export interface RunChangeView {
  readonly id: string;
  readonly workflow: string;
  readonly status: RunStatus;
  readonly title?: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** The sequence number of the run's last event, as a string. */
  readonly lastEventId: string;
  /** The run's stage (the workflow's `stages:`); null when none holds. */
  readonly stage: string | null;
  /** Phases waiting for a person, by id. */
  readonly waitingFor: readonly string[];
  /** Phases with an attempt running, by id. */
  readonly running: readonly string[];
  readonly usage: {
    readonly calls: number;
    readonly inputTokens: number;
    readonly outputTokens: number;
    readonly cachedTokens: number;
    readonly costUsd: number | null;
  };
}

/**
 * One event of the tenant stream; `id` is the cursor to resume after it. `ready` comes first on
 * every connection (its `id` the cursor the stream starts at); `run` carries a run's newest state
 * (a run changed several times since the cursor comes once); `run_deleted` a run that is gone.
 */
export type TenantEvent =
  | { readonly type: 'ready'; readonly id: string; readonly resumed: boolean }
  | { readonly type: 'run'; readonly id: string; readonly run: RunChangeView }
  | { readonly type: 'run_deleted'; readonly id: string; readonly runId: string };
