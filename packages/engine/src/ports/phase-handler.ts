import type { WarningCode } from '../phase-codes.js';
import type { ModelCallRecord, UsageTotals } from './model-calls.js';
import type {
  Budget,
  JsonValue,
  OutputPayload,
  PhaseDefinition,
  PhaseError,
  PhaseKind,
  FixtureSet,
  WorkflowDefinition,
} from '../types.js';

/** The output of a phase this task needs (skipped phases are absent). */
export interface UpstreamOutput {
  readonly phaseId: string;
  readonly mediaType: string;
  readonly content: string;
}

/** An earlier attempt of the same phase, given to the next one as context. */
export interface EarlierAttempt {
  readonly attempt: number;
  /** The attempt's output, when it produced one. */
  readonly output?: string;
  readonly error?: PhaseError;
  /** Feedback a person gave on this attempt's output. */
  readonly feedback?: string;
  /** It stopped to wait for a person: an agent's question (`interrupt`) or a budget. */
  readonly suspended?: { readonly source: 'interrupt' | 'budget'; readonly reason: string };
}

/** Everything a handler needs to execute one attempt. Handlers never read the store. */
export interface PhaseTask {
  readonly runId: string;
  readonly phaseId: string;
  readonly attempt: number;
  readonly phase: PhaseDefinition;
  readonly workflow: WorkflowDefinition;
  readonly fixtures: FixtureSet;
  readonly runInputs: Readonly<Record<string, JsonValue>>;
  readonly upstream: readonly UpstreamOutput[];
  readonly earlier: readonly EarlierAttempt[];
  /**
   * The feedback this attempt answers, for `feedback.md`: a person's change request, or a
   * reviewer's findings (review loop).
   */
  readonly feedback?: string;
  /**
   * A reviewer's attempt: the feedback the reviewed phase's current attempt answered (a person's
   * change request or the previous findings), for `reviewed-feedback.md`.
   */
  readonly reviewedFeedback?: string;
  /** A map's attempt: read the items (`expand`) or collect the instances' outputs (`collect`). */
  readonly map?: MapTaskStage;
  /** A map's phase instance: its element (`$BATON_CONTEXT_DIR/item.json`, `BATON_ITEM…`). */
  readonly item?: { readonly index: number; readonly value: JsonValue };
  /** The budgets in force for this attempt (the run's and the phase's, raised ones included). */
  readonly budgets?: { readonly run?: Budget; readonly phase?: Budget };
}

/**
 * What a map's attempt does. `expand`: hand over `items` (the output of the phase it maps over)
 * as the attempt's output; the scheduler reads the elements from it. `collect`: build the map's
 * output, the array of `parts` in element order (`null` for an element whose result was skipped).
 */
export type MapTaskStage =
  | { readonly stage: 'expand'; readonly items: UpstreamOutput }
  | { readonly stage: 'collect'; readonly parts: readonly (UpstreamOutput | null)[] };

/**
 * The result of one attempt. Failures are data; a handler throws only on a bug. `suspended`: the
 * attempt stops without a result to wait for a person (see the `suspend` input).
 */
export type PhaseResult =
  | { readonly ok: true; readonly output: OutputPayload }
  | { readonly ok: false; readonly error: PhaseError; readonly retryable: boolean }
  | { readonly ok: false; readonly suspended: SuspendRequest };

/** Why an attempt stops to wait for a person. */
export interface SuspendRequest {
  readonly source: 'interrupt' | 'budget';
  readonly reason: string;
  /** An agent's interrupt that pauses the whole run too. */
  readonly pauseRun?: boolean;
}

/**
 * A `phase_progress` event: an attempt's live progress, published to whoever listens now (the
 * store's progress channel — across processes on PostgreSQL), never stored in the log.
 */
export interface PhaseProgressEvent extends PhaseProgress {
  readonly type: 'phase_progress';
  readonly runId: string;
  /**
   * The run's tenant, when the publisher knows it (a worker does: its task's). A store's view
   * scoped to a tenant sets it on what it publishes and delivers only its tenant's progress.
   */
  readonly tenantId?: string;
  readonly phaseId: string;
  readonly attempt: number;
  /** Epoch milliseconds. */
  readonly at: number;
  /** The length of the whole text when `text` holds only its end (a notification is small). */
  readonly textLength?: number;
}

/** Live progress of an attempt (an agent typing): not durable, dropped when nobody listens. */
export interface PhaseProgress {
  /** The text so far (the whole of it, not a delta). */
  readonly text?: string;
  /** The structured output parsed so far. */
  readonly object?: JsonValue;
  /** Output tokens so far (when the provider streams usage), else an estimate. */
  readonly outputTokens?: number;
}

/**
 * What an attempt may do besides returning its result — the runtime's side of the agent layer.
 * Handlers never read the store; these are the only writes they make while running.
 */
export interface AttemptContext {
  /** Records a model call in the ledger (the run, phase and attempt are filled in). */
  recordModelCall(call: Omit<ModelCallRecord, 'runId' | 'phaseId' | 'attempt'>): Promise<void>;
  /** Usage so far of the whole run and of this phase (all its attempts), for budgets. */
  usage(): Promise<{ readonly run: UsageTotals; readonly phase: UsageTotals }>;
  /** Records a warning on the phase (`phase_warning`); `code` is a documented {@link WarningCode}. */
  warn(code: WarningCode, message: string): Promise<void>;
  /** Reports live progress (throttling is the caller's). */
  progress(update: PhaseProgress): void;
  /** Records one tool call of the attempt's agent in the phase's trace (`tool_called`). */
  trace(call: {
    readonly tool: string;
    readonly input: JsonValue;
    readonly output?: string;
    readonly error?: string;
  }): Promise<void>;
  /** A file of a file-tree artifact (by the hash in its manifest), or undefined. */
  readBlob(sha256: string): Promise<string | undefined>;
}

/**
 * Executes attempts of one phase kind. `signal` aborts on timeout, cancel or shutdown; the handler
 * must then stop its work (kill its processes) and resolve promptly.
 */
export interface PhaseHandler {
  readonly kind: PhaseKind;
  execute(task: PhaseTask, signal: AbortSignal, context: AttemptContext): Promise<PhaseResult>;
}
