/**
 * Runs (`/api/runs`; see docs/server.md, "Runs"): a run as every run route answers it — the
 * snapshot `baton show --json` prints plus what the API adds — its pages, its model calls, and its
 * durable record (events, output versions, usage).
 */

/** A run's status. */
export type RunStatus = 'running' | 'waiting' | 'paused' | 'completed' | 'failed' | 'cancelled';

/** Model usage: tokens, and the cost in USD (`null` when a call's model has no price). */
export interface Usage {
  readonly calls: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cachedTokens: number;
  readonly costUsd: number | null;
}

/** One phase of a run. */
export interface PhaseSnapshot {
  readonly id: string;
  readonly status: string;
  readonly attempts: number;
  /** The accepted (else latest) output: text as a string, JSON as JSON; null when none. */
  readonly output: unknown;
  readonly versions: readonly { readonly version: number; readonly attempt: number }[];
  /** A map that expanded: how many elements it has. */
  readonly elements?: number;
  /** A map's instance: its map and element index. */
  readonly instanceOf?: { readonly map: string; readonly index: number };
  readonly copiedFrom?: { readonly runId: string; readonly version?: number };
  readonly error?: { readonly code: string; readonly message: string };
  readonly waiting?: {
    readonly reason: string;
    readonly source: string;
    readonly recommendation?: { readonly by: string; readonly verdict: string; readonly findings: unknown };
    /** A human phase asked again: a reviewer's findings on the last submission, or a person's change request. */
    readonly feedback?: string;
  };
  readonly decision?: {
    readonly decision: string;
    readonly by: string;
    readonly at: string;
    readonly reason?: string;
    readonly feedback?: string;
  };
  readonly usage?: Usage & { readonly provider: string; readonly model: string };
  readonly warnings?: readonly {
    readonly attempt: number;
    readonly code: string;
    readonly message: string;
  }[];
  /** A running attempt: when it last showed activity (ISO 8601). */
  readonly lastActivityAt?: string;
}

/** What answers a pending decision. */
export type DecisionAction = 'approve' | 'reject' | 'request_changes' | 'edit' | 'submit' | 'budget';

/** A phase waiting for a person. */
export interface PendingDecision {
  readonly phaseId: string;
  /** `gate`, `human`, `interrupt`, `budget`, `review`. */
  readonly source: string;
  readonly reason: string;
  /** ISO 8601. */
  readonly since: string;
  readonly decisions: readonly DecisionAction[];
}

/** A run: what every run route answers. Times are ISO 8601. */
export interface RunSnapshot {
  readonly id: string;
  readonly workflow: string;
  readonly status: RunStatus;
  /** The run's stage: the label of the workflow's `stages:` that holds now; null when none does. */
  readonly stage: string | null;
  readonly reason?: string;
  readonly forkedFrom?: { readonly runId: string; readonly from?: string };
  readonly usage: Usage;
  /** Every model call was answered by the offline `scripted` provider. */
  readonly offline?: true;
  readonly phases: readonly PhaseSnapshot[];
  readonly title?: string;
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly pendingDecisions: readonly PendingDecision[];
  /** The sequence number of the run's last event (the stream resumes after it). */
  readonly lastEventId: string;
}

/** A run in a listing. */
export interface RunListItem {
  readonly id: string;
  readonly workflow: string;
  readonly status: RunStatus;
  /** The run's stage (the workflow's `stages:`); null when none holds. */
  readonly stage: string | null;
  readonly title?: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** `GET /api/runs`: newest first; pass `nextCursor` as `cursor` for the next page. */
export interface RunList {
  readonly runs: readonly RunListItem[];
  readonly nextCursor?: string;
}

/** `POST /api/runs`. */
export interface CreateRunRequest {
  readonly workflow: string;
  /** Default: the latest version. */
  readonly version?: number;
  readonly inputs?: Readonly<Record<string, unknown>>;
  readonly title?: string;
}

/** `GET /api/runs` filters; `limit` 1–200 (default 50). */
export interface ListRunsQuery {
  readonly status?: RunStatus;
  readonly workflow?: string;
  readonly cursor?: string;
  readonly limit?: number;
}

/** Why a person acts (recorded with it). */
export interface ReasonRequest {
  readonly reason?: string;
}

/** `POST /api/runs/:id/fork`. */
export interface ForkRequest {
  /** Run this phase and what follows again. */
  readonly from?: string;
  readonly inputs?: Readonly<Record<string, unknown>>;
}

/** `POST /api/runs/:id/phases/:phase/rewind`. */
export interface RewindRequest extends ReasonRequest {
  readonly inputs?: Readonly<Record<string, unknown>>;
}

/** A decision at a gate. */
export type Decision = 'approve' | 'reject' | 'request_changes' | 'edit';

/** `POST /api/runs/:id/phases/:phase/decision`: `request_changes` needs `feedback`, `edit` needs `content`. */
export interface DecisionRequest extends ReasonRequest {
  readonly decision: Decision;
  readonly feedback?: string;
  /** The edited output: a string is text (JSON when the phase has an output schema), other JSON is JSON. */
  readonly content?: unknown;
}

/** `POST /api/runs/:id/phases/:phase/submit`: a person's output. */
export interface SubmitRequest extends ReasonRequest {
  readonly content: unknown;
}

/** `POST /api/runs/:id/budget`: the new limit of the run (or of `phase`); tokens and/or usd. */
export interface BudgetRequest extends ReasonRequest {
  readonly tokens?: number;
  readonly usd?: number;
  readonly phase?: string;
}

/** One model call of a phase. */
export interface ModelCall {
  readonly model: string;
  readonly provider: string;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cachedTokens: number;
  readonly costUsd: number | null;
  readonly latencyMs: number;
  readonly status: 'ok' | 'error';
  readonly error?: string;
  readonly attempt: number;
  /** ISO 8601. */
  readonly at: string;
}

/** `GET /api/runs/:id/phases/:phase/calls`. */
export interface ModelCallList {
  readonly calls: readonly ModelCall[];
}

/** `GET /api/runs/:id/events`: the run's events (the engine's `RunEvent`s) after `after`. */
export interface RunEventPage {
  readonly events: readonly Readonly<Record<string, unknown>>[];
  /** The seq of the run's last event. */
  readonly lastEventId: string;
  /** More events follow `limit`: ask again after the last one. */
  readonly more: boolean;
}

/** `GET /api/runs/:id/phases/:phase/versions/:version`: one stored output version. */
export interface OutputVersion {
  readonly runId: string;
  readonly phaseId: string;
  readonly version: number;
  readonly attempt: number;
  readonly mediaType: string;
  readonly size: number;
  readonly sha256: string;
  /** ISO 8601. */
  readonly createdAt: string;
  readonly content: string;
}

/** `GET /api/runs/:id/usage`: the engine's `RunUsage` (totals of the run and per phase). */
export type RunUsage = Readonly<Record<string, unknown>>;
