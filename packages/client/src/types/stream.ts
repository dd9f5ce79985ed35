/**
 * A run's live stream (`GET /api/runs/:id/events` with `Accept: text/event-stream`; see
 * docs/server.md, "The run stream"), as `client.runs.stream` hands it over: one typed frame per
 * Server-Sent Event.
 */
import type { RunSnapshot } from './runs.js';

/**
 * A durable event of the run's log (the engine's `RunEvent`: `seq`, `at`, `type` and the type's
 * fields), as the server stores it.
 */
export interface RunStreamEvent {
  readonly seq: number;
  readonly type: string;
  readonly at: number;
  readonly [field: string]: unknown;
}

/** An attempt's live progress (an agent typing): the engine's `PhaseProgressEvent`. */
export interface RunStreamProgress {
  readonly type: 'phase_progress';
  readonly runId: string;
  readonly phaseId: string;
  readonly attempt: number;
  /** Epoch milliseconds. */
  readonly at: number;
  /** The text so far (the whole of it, or its end when `textLength` is longer). */
  readonly text?: string;
  readonly textLength?: number;
  /** The structured output parsed so far. */
  readonly object?: unknown;
  readonly outputTokens?: number;
}

/**
 * One frame of a run's stream:
 * - `snapshot`: first, when the stream started without a resume point — the run as
 *   `GET /api/runs/:id` answers it, reflecting every event up to `seq`;
 * - `event`: a durable event, in `seq` order, never twice, with the names other orchestrators'
 *   clients know it by (`aliases`);
 * - `progress` and `activity`: live and ephemeral (never replayed after a reconnect) — an
 *   attempt's progress, an attempt's heartbeat.
 */
export type RunStreamFrame =
  | { readonly kind: 'snapshot'; readonly seq: number; readonly snapshot: RunSnapshot }
  | {
      readonly kind: 'event';
      readonly seq: number;
      readonly event: RunStreamEvent;
      readonly aliases: readonly string[];
    }
  | { readonly kind: 'progress'; readonly progress: RunStreamProgress; readonly aliases: readonly string[] }
  | {
      readonly kind: 'activity';
      readonly phaseId: string;
      readonly attempt: number;
      /** ISO 8601, as the run's `phases[].lastActivityAt`. */
      readonly lastActivityAt: string;
    };
