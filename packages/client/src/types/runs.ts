/**
 * Runs (`/api/runs`). The runs routes are written in parallel with this client; their snapshot
 * follows `baton … --json` (`packages/cli/src/snapshot.ts`) plus `pendingDecisions`, `usage`,
 * `lastActivityAt` and `lastEventId`. The fields named here are those the client relies on; the
 * index signatures let the rest through.
 */

/** A run's status. */
export type RunStatus = 'running' | 'waiting' | 'paused' | 'completed' | 'failed' | 'cancelled';

/** Model usage: tokens, and the cost in USD (`null` when a call's model has no price). */
export interface UsageSnapshot {
  readonly calls: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cachedTokens: number;
  readonly costUsd: number | null;
}

/** One phase of a run snapshot. */
export interface PhaseSnapshot {
  readonly id: string;
  readonly status: string;
  readonly attempts: number;
  /** The accepted (else latest) output: text as a string, JSON as JSON; null when none. */
  readonly output: unknown;
  readonly versions: readonly { readonly version: number; readonly attempt: number }[];
  readonly error?: { readonly code: string; readonly message: string };
  readonly waiting?: { readonly reason: string; readonly source: string; readonly [field: string]: unknown };
  readonly decision?: {
    readonly decision: string;
    readonly by: string;
    readonly at: string;
    readonly [field: string]: unknown;
  };
  readonly usage?: UsageSnapshot & { readonly provider: string; readonly model: string };
  readonly [field: string]: unknown;
}

/** A phase waiting for a person. */
export interface PendingDecision {
  readonly phase: string;
  readonly reason?: string;
  readonly source?: string;
  readonly [field: string]: unknown;
}

/** A run: what every run route answers. */
export interface RunSnapshot {
  readonly id: string;
  readonly workflow: string;
  readonly status: RunStatus;
  readonly title?: string;
  readonly reason?: string;
  readonly forkedFrom?: { readonly runId: string; readonly from?: string };
  readonly usage?: UsageSnapshot;
  readonly offline?: true;
  readonly phases: readonly PhaseSnapshot[];
  readonly pendingDecisions?: readonly PendingDecision[];
  /** ISO 8601. */
  readonly lastActivityAt?: string;
  /** The id of the run's latest event (the stream resumes after it). */
  readonly lastEventId?: string | number;
  readonly [field: string]: unknown;
}

/** A run in a listing. */
export interface RunListItem {
  readonly id: string;
  readonly workflow: string;
  readonly status: RunStatus;
  readonly title?: string;
  readonly [field: string]: unknown;
}

/** `GET /api/runs`: newest first; `nextCursor` asks for the page after. */
export interface RunList {
  readonly runs: readonly RunListItem[];
  readonly nextCursor?: string | null;
}

/** `POST /api/runs`. */
export interface CreateRunRequest {
  readonly workflow: string;
  /** Default: the latest version. */
  readonly version?: number;
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly title?: string;
}

/** `GET /api/runs` filters. */
export interface ListRunsQuery {
  readonly status?: RunStatus;
  readonly workflow?: string;
  readonly cursor?: string;
  readonly limit?: number;
}

/** Why a person acts (pause, resume, cancel, retry, skip). */
export interface ReasonRequest {
  readonly reason?: string;
}

/** `POST /api/runs/:id/fork`. */
export interface ForkRequest {
  /** The phase to run again from (default: the first that did not complete). */
  readonly from?: string;
  readonly inputs?: Readonly<Record<string, unknown>>;
}

/** `POST /api/runs/:id/phases/:phase/rewind`. */
export interface RewindRequest extends ReasonRequest {
  readonly inputs?: Readonly<Record<string, unknown>>;
}

/** A decision at a gate. */
export type Decision = 'approve' | 'reject' | 'request_changes' | 'edit';

/** `POST /api/runs/:id/phases/:phase/decision`. */
export interface DecisionRequest extends ReasonRequest {
  readonly decision: Decision;
  /** `request_changes`: what to change. */
  readonly feedback?: string;
  /** `edit`: the edited output. */
  readonly content?: unknown;
}

/** `POST /api/runs/:id/phases/:phase/submit`: a human phase's output. */
export interface SubmitRequest {
  readonly content: unknown;
}

/** `POST /api/runs/:id/budget`: raise the run's (or a phase's) budget. */
export interface BudgetRequest {
  readonly tokens?: number;
  readonly usd?: number;
  readonly phase?: string;
}

/** One model call of a phase. */
export interface ModelCall {
  readonly attempt: number;
  readonly agent: string;
  readonly provider: string;
  readonly model: string;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cachedTokens: number;
  readonly costUsd: number | null;
  readonly latencyMs: number;
  readonly status: 'ok' | 'error';
  readonly error?: string;
  readonly [field: string]: unknown;
}

/** `GET /api/runs/:id/phases/:phase/calls`. */
export interface ModelCallList {
  readonly calls: readonly ModelCall[];
}
