/**
 * Baton engine — domain types.
 *
 * Glossary
 * - **Workflow definition**: a named, versioned DAG of phases, loaded from YAML/JSON or built in
 *   TypeScript, validated and normalised (every default filled in) before a run may use it.
 * - **Phase**: one node of the DAG. Its `kind` says who does the work: `tool` (a shell command),
 *   `agent` (a model, or the offline `scripted` agent), `human` (a person's submission) or `map`
 *   (one instance of a template per element of an upstream phase's JSON array).
 * - **Phase instance**: a phase a map adds to its run when it expands, addressed `map[i]` (a
 *   one-phase template) or `map[i].phase` (a sub-DAG template).
 * - **Run**: one execution of a definition with concrete inputs. A run is an append-only, gap-free
 *   numbered log of {@link RunEvent}s; its {@link RunState} is a pure fold of that log.
 * - **Attempt**: one execution of a phase. `(run, phase, attempt)` names it forever; attempt numbers
 *   only grow (retries, change requests, recoveries).
 * - **Artifact**: a versioned output of a phase. Versions only grow per phase; an attempt makes one,
 *   a person's edit makes another.
 * - **Input** ({@link RunInput}): something that happened outside the engine (a task finished, a
 *   person decided). The scheduler turns an input into events and commands.
 * - **Command** ({@link Command}): an effect the runtime must carry out after the events are
 *   committed (enqueue a task, abort a running one, store an artifact's content).
 * - **Gate**: `gate: true` on a phase — a person approves its output before dependents start.
 */

import type { PhaseFailureCode } from './phase-codes.js';

/** A JSON Schema document (draft-07 or 2020-12), kept as plain data. */
export type JsonSchema = Record<string, unknown> | boolean;

/** Any JSON value. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

// ---------------------------------------------------------------------------------------------
// Workflow definitions
// ---------------------------------------------------------------------------------------------

/** Who does a phase's work. */
export const PhaseKind = { tool: 'tool', agent: 'agent', human: 'human', map: 'map' } as const;
export type PhaseKind = (typeof PhaseKind)[keyof typeof PhaseKind];

/** Model providers a model setting may name (`scripted`: Baton's offline provider). */
export const ModelProviders = ['anthropic', 'deepseek', 'openai', 'openai-compatible', 'scripted'] as const;
export type ModelProvider = (typeof ModelProviders)[number];

/**
 * Which model an agent calls, as written: any part may be left to the next level — phase, then
 * agent, then workflow, then the installation's `baton.config.yaml`, then the default.
 */
export interface ModelSetting {
  readonly provider?: ModelProvider;
  readonly model?: string;
  readonly maxTokens?: number;
  readonly temperature?: number;
  /**
   * Stream the answer (default true: live progress); `false` asks for the whole answer in one
   * response, for servers that stream badly.
   */
  readonly stream?: boolean;
}

/**
 * A spending limit (`budget:` on the workflow — the whole run — or on a phase): model tokens
 * (input + output) and/or US dollars, summed over every model call. A call that would cross it
 * suspends the attempt until a person raises the budget.
 */
export interface Budget {
  readonly tokens?: number;
  readonly usd?: number;
}

/** Tools an agent may be given. */
export const AgentTools = ['read_file', 'write_files'] as const;
export type AgentTool = (typeof AgentTools)[number];

/** An inline agent of a workflow (`agents:`), normalised. */
export interface AgentDefinition {
  readonly description?: string;
  /** The agent's system prompt (the governance preamble is prepended). */
  readonly system: string;
  readonly model?: ModelSetting;
  /** JSON Schema of the agent's artifact; absent: free markdown. */
  readonly output?: JsonSchema;
  /** The needed phases whose artifacts it reads; absent: all of them. */
  readonly reads?: readonly string[];
  readonly tools: readonly AgentTool[];
}

/** What happens to the run when a phase has failed for good (retries exhausted). */
export const OnFailure = { continue: 'continue', failFast: 'fail-fast', skip: 'skip' } as const;
export type OnFailure = (typeof OnFailure)[keyof typeof OnFailure];

/** Automatic retry policy of a phase. `maxAttempts` counts the first attempt. */
export interface RetryPolicy {
  readonly maxAttempts: number;
  /** Base delay before the second attempt; doubles per attempt, with deterministic jitter. */
  readonly backoffMs: number;
  /** Upper bound of one backoff delay. */
  readonly maxBackoffMs: number;
  /**
   * Attempts a crash may cost (a lost lease: the process running it died) before the phase fails
   * as `STUCK` instead of starting again. Lost attempts do not count against `maxAttempts`.
   */
  readonly maxRecoveries: number;
}

/** What a reviewer does when its rounds are used up and it still says `revise`. */
export type OnRoundsExhausted = 'fail' | 'continue' | 'human';

/**
 * A reviewer's loop (a phase with `reviews`): `rounds` revise verdicts at most (default 3) before
 * `onRoundsExhausted` (default `human`); `reReview: false` runs one fix round and goes on without
 * reviewing again; `advisory: true` only recommends (at the reviewed phase's gate), nothing re-runs.
 */
export interface ReviewPolicy {
  readonly rounds: number;
  readonly reReview: boolean;
  readonly onRoundsExhausted: OnRoundsExhausted;
  readonly advisory: boolean;
}

/**
 * A map phase (`kind: map`): one instance of `phases` per element of `over`'s output (a JSON
 * array), at most `concurrency` elements in progress at a time. The map's output is the array of
 * each element's `collect` phase output, in element order.
 */
export interface MapSpec {
  /** The upstream phase whose output is the array (also in the map's `needs`). */
  readonly over: string;
  readonly concurrency: number;
  /** `phase:` (one phase, instances `map[i]`) or `phases:` (a sub-DAG, instances `map[i].id`). */
  readonly form: 'phase' | 'phases';
  /**
   * The template, normalised; `needs` name template phases only. With `form: 'phase'` it is one
   * phase whose id is the map's.
   */
  readonly phases: readonly PhaseDefinition[];
  /** The template phase whose output is an element's result. */
  readonly collect: string;
}

/** Which map, element and template phase a phase instance comes from. */
export interface InstanceOrigin {
  readonly map: string;
  readonly index: number;
  readonly template: string;
}

/** A phase after normalisation: every default is filled in. */
export interface PhaseDefinition {
  readonly id: string;
  readonly kind: PhaseKind;
  readonly description?: string;
  /** Ids of the phases whose output this phase needs; it starts when all completed or were skipped. */
  readonly needs: readonly string[];
  /** `tool`: the command, run with `sh -c`. */
  readonly run?: string;
  /** `agent`: the agent's name (`scripted` for now). */
  readonly agent?: string;
  /** `agent` with `scripted`: the fixtures file (path as written, relative to the workflow file). */
  readonly fixtures?: string;
  /** `agent`: the model setting of this phase (over the agent's and the workflow's). */
  readonly model?: ModelSetting;
  /** `human`: what the person is asked for. */
  readonly prompt?: string;
  /** A person approves this phase's output before anything downstream starts. */
  readonly gate: boolean;
  readonly retry: RetryPolicy;
  /** Wall-clock limit of one attempt; `null` means none (human phases). */
  readonly timeoutMs: number | null;
  readonly onFailure: OnFailure;
  /** JSON Schema the phase's output must satisfy. */
  readonly output?: JsonSchema;
  /** JSON Schema the phase's inputs (an object keyed by needed phase id) must satisfy. */
  readonly input?: JsonSchema;
  /** `agent`: the phase's spending limit over all its attempts (see {@link Budget}). */
  readonly budget?: Budget;
  /** A reviewer: the id of the (upstream) phase whose output this phase reviews. */
  readonly reviews?: string;
  /** A reviewer's loop; set exactly when `reviews` is. */
  readonly review?: ReviewPolicy;
  /** `map` phases: what to map over and the template. */
  readonly map?: MapSpec;
  /** Phase instances (never written in a workflow): the map element this phase belongs to. */
  readonly instanceOf?: InstanceOrigin;
}

/** A workflow after validation and normalisation. This is what a run stores in `run_created`. */
export interface WorkflowDefinition {
  readonly id: string;
  readonly version: number;
  readonly description?: string;
  /** JSON Schema of the run's inputs. */
  readonly inputs?: JsonSchema;
  /** Default fixtures file of `scripted` agent phases. */
  readonly fixtures?: string;
  /** Prepended to every agent's system prompt (seed 002's shared governance preamble). */
  readonly governance?: string;
  /** The workflow's model setting (under the phases' and agents'). */
  readonly model?: ModelSetting;
  /** Inline agents, by name (phases name them in `agent`). */
  readonly agents?: Readonly<Record<string, AgentDefinition>>;
  /** The run's spending limit over all its model calls (see {@link Budget}). */
  readonly budget?: Budget;
  readonly phases: readonly PhaseDefinition[];
}

/**
 * Scripted answers for one phase: a default answer and/or answers per attempt number.
 * `output` is the phase's output (a string is text, anything else is JSON); `fail` fails the attempt
 * with that message; `delayMs` waits before answering.
 *
 * The `scripted` model provider (an inline agent with `model: {provider: scripted}`) answers each
 * model call from the same answers, and also reads `replies`, `toolCalls` and `usage`.
 */
export interface FixtureAnswer {
  readonly output?: JsonValue;
  readonly fail?: string;
  readonly delayMs?: number;
  /**
   * Scripted model: the answers to the consecutive model calls of one attempt (call 0, 1, 2…,
   * e.g. an answer that does not fit the output schema, then one that does); a call beyond the
   * list has no fixture. Without `replies`, every call of the attempt gets this answer.
   */
  readonly replies?: readonly FixtureAnswer[];
  /** Scripted model: the call answers with these tool calls instead of text. */
  readonly toolCalls?: readonly FixtureToolCall[];
  /** Scripted model: the tokens the call reports (default: estimated from the characters, 4 a token). */
  readonly usage?: FixtureUsage;
}
/** A tool call a scripted model answers with: the tool's name and its input. */
export interface FixtureToolCall {
  readonly tool: string;
  readonly input: JsonValue;
}
/** The usage a scripted model call reports. */
export interface FixtureUsage {
  readonly inputTokens: number;
  readonly outputTokens: number;
}
export interface FixtureEntry extends FixtureAnswer {
  readonly attempts?: Readonly<Record<string, FixtureAnswer>>;
}
/** A fixtures file's content: entries keyed by phase id. */
export type FixtureFile = Readonly<Record<string, FixtureEntry>>;
/** Every fixtures file a workflow uses, keyed by the path written in the workflow. */
export type FixtureSet = Readonly<Record<string, FixtureFile>>;

// ---------------------------------------------------------------------------------------------
// Run state
// ---------------------------------------------------------------------------------------------

/**
 * Phase states (enforced by a CHECK constraint in the store):
 * - `blocked`: waits for what it needs;
 * - `ready`: may start (at `notBefore` when a retry backs off);
 * - `running`: an attempt executes;
 * - `waiting_for_human`: a gate or a human phase waits for a person;
 * - `in_review`: its output waits for its reviewer's verdict (a review loop); only the phases
 *   between it and its reviewer may use it meanwhile;
 * - `completed`, `skipped`: done, dependents may start;
 * - `failed`, `rejected`, `cancelled`: stopped; dependents stay blocked; a person may retry or skip.
 */
export const PhaseStatus = {
  blocked: 'blocked',
  ready: 'ready',
  running: 'running',
  waitingForHuman: 'waiting_for_human',
  inReview: 'in_review',
  completed: 'completed',
  failed: 'failed',
  rejected: 'rejected',
  skipped: 'skipped',
  cancelled: 'cancelled',
} as const;
export type PhaseStatus = (typeof PhaseStatus)[keyof typeof PhaseStatus];

/**
 * Run states:
 * - `running`: something is ready or running;
 * - `waiting`: nothing can move until a person decides (a gate or human phase);
 * - `paused`: a person paused it; running attempts finish, nothing new starts;
 * - `completed`: every phase completed or was skipped;
 * - `failed`: nothing can progress and some phase failed, was rejected or cancelled by fail-fast;
 * - `cancelled`: a person cancelled it (final).
 */
export const RunStatus = {
  running: 'running',
  waiting: 'waiting',
  paused: 'paused',
  completed: 'completed',
  failed: 'failed',
  cancelled: 'cancelled',
} as const;
export type RunStatus = (typeof RunStatus)[keyof typeof RunStatus];

/** Why a phase waits for a person. */
export const WaitSource = {
  gate: 'gate',
  human: 'human',
  interrupt: 'interrupt',
  budget: 'budget',
  review: 'review',
} as const;
export type WaitSource = (typeof WaitSource)[keyof typeof WaitSource];

/** A typed failure of an attempt. `code` is stable (e.g. `EXIT_CODE`, `TIMEOUT`, `OUTPUT_SCHEMA`). */
export interface PhaseError {
  readonly code: PhaseFailureCode;
  readonly message: string;
}

/** Metadata of one stored artifact version (its content lives in the store). */
export interface ArtifactRef {
  readonly attempt: number;
  readonly version: number;
  readonly mediaType: string;
  readonly size: number;
  readonly sha256: string;
}

/** An output as produced by a handler or a person, before it is stored. */
export interface OutputPayload {
  /**
   * `application/json` or `text/plain` (see `classifyOutput`), or {@link FILE_TREE_MEDIA_TYPE}
   * (the text is a {@link FileTreeManifest}).
   */
  readonly mediaType: string;
  /** The content as text (JSON text for `application/json`). */
  readonly text: string;
  readonly size: number;
  readonly sha256: string;
  /** A file tree's file contents, stored once each by hash (unchanged files are shared). */
  readonly files?: readonly FileBlob[];
}

/** The media type of a file-tree artifact: its text is a {@link FileTreeManifest}. */
export const FILE_TREE_MEDIA_TYPE = 'application/vnd.baton.file-tree+json';

/** What a file-tree artifact holds: its files, by path, each naming its content by hash. */
export interface FileTreeManifest {
  readonly files: readonly FileTreeEntry[];
  /** What the agent said when it finished (its final text), if anything. */
  readonly summary?: string;
}

export interface FileTreeEntry {
  /** Relative, `/`-separated, no `..`. */
  readonly path: string;
  readonly sha256: string;
  readonly size: number;
  readonly mediaType: string;
}

/** One file's content (UTF-8 text), keyed by its SHA-256. */
export interface FileBlob {
  readonly sha256: string;
  readonly size: number;
  readonly text: string;
}

/** One execution of a phase, as the fold sees it. */
export interface AttemptState {
  readonly attempt: number;
  /** `suspended`: it stopped to wait for a person (an agent's interrupt, a budget) without a result. */
  readonly status: 'ready' | 'running' | 'succeeded' | 'failed' | 'abandoned' | 'cancelled' | 'suspended';
  readonly readyAt: number;
  readonly startedAt?: number;
  readonly endedAt?: number;
  /** Artifact version this attempt produced. */
  readonly version?: number;
  readonly error?: PhaseError;
  /** A person's feedback that caused this attempt (request changes). */
  readonly feedback?: string;
  /** Set when it stopped to wait for a person (`suspended`): why. */
  readonly suspended?: { readonly source: 'interrupt' | 'budget'; readonly reason: string };
}

/** What a person is asked to do for a phase. */
export interface WaitingState {
  readonly reason: string;
  readonly source: WaitSource;
  readonly since: number;
  /** The artifact version under review (gates). */
  readonly version?: number;
  /** An advisory or finished review's verdict, shown at the gate as a recommendation. */
  readonly recommendation?: Recommendation;
}

/** A reviewer's verdict attached to the reviewed phase's gate. */
export interface Recommendation {
  readonly by: string;
  readonly verdict: ReviewVerdict;
  /** The reviewer's output version (its findings). */
  readonly version: number;
}

/**
 * One element of a map's items as the scheduler keeps it: its `id` (an object element's `id`)
 * and the indexes of the elements it depends on (`dependsOn`).
 */
export interface MapElement {
  readonly id?: string;
  readonly dependsOn?: readonly number[];
}

/** What a reviewer says of the output it reviewed. */
export type ReviewVerdict = 'approve' | 'revise' | 'fail';

export interface PhaseState {
  readonly id: string;
  readonly status: PhaseStatus;
  /** Latest attempt number (0 before the first). */
  readonly attempt: number;
  /** First attempt of the current automatic-retry series (reset by manual retry / change request). */
  readonly seriesStart: number;
  /** Attempts lost to crashes in the current series. */
  readonly recoveries: number;
  /** A ready phase may not start before this time (retry backoff). */
  readonly notBefore?: number;
  readonly attempts: readonly AttemptState[];
  /** Every stored artifact version of this phase, oldest first. */
  readonly versions: readonly ArtifactRef[];
  /** The accepted output: what dependents receive. */
  readonly output?: ArtifactRef;
  readonly waiting?: WaitingState;
  /** The latest failure (kept while a retry is pending). */
  readonly error?: PhaseError;
  /** Why it was skipped or cancelled. */
  readonly note?: string;
  /** The latest decision a person made on this phase. */
  readonly lastDecision?: {
    readonly decision: DecisionKind;
    readonly by: string;
    readonly at: number;
    readonly reason?: string;
  };
  /** A reviewed phase: revise verdicts in the current round count. */
  readonly reviewRound?: number;
  /** A reviewer: its latest verdict. */
  readonly verdict?: ReviewVerdict;
  /**
   * A map that expanded: the attempt that read the items and the elements (its instances run;
   * the map collects their outputs once they are done).
   */
  readonly expansion?: { readonly attempt: number; readonly elements: readonly MapElement[] };
  /** Set when this phase's result was taken over from another run (`baton fork`). */
  readonly copiedFrom?: { readonly runId: string; readonly version?: number };
  /** Set when a fail-fast cancelled it: a reopened run resets such phases. */
  readonly cancelledBy?: 'fail-fast' | 'run';
  /** Warnings recorded on its attempts (a budget at 80%, a reviewer on its author's model), oldest first. */
  readonly warnings?: readonly PhaseWarning[];
  readonly updatedAt: number;
}

/** A warning an attempt recorded (`phase_warning`). `code` is stable (e.g. `BUDGET_WARNING`). */
export interface PhaseWarning {
  readonly attempt: number;
  readonly code: string;
  readonly message: string;
  readonly at: number;
}

/** Budgets a person raised during the run (`budget_raised`), over the definition's. */
export interface RaisedBudgets {
  readonly run?: Budget;
  readonly phases?: Readonly<Record<string, Budget>>;
}

export interface RunState {
  readonly runId: string;
  /** Sequence number of the last event folded into this state. */
  readonly seq: number;
  readonly workflow: WorkflowDefinition;
  readonly fixtures: FixtureSet;
  readonly inputs: Readonly<Record<string, JsonValue>>;
  readonly status: RunStatus;
  readonly paused: boolean;
  /** Set once the run ended (completed/failed/cancelled); cleared when it reopens. */
  readonly ended?: { readonly status: 'completed' | 'failed' | 'cancelled'; readonly reason?: string };
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly createdBy: string;
  /** Set when this run is a fork of another (`baton fork`). */
  readonly forkedFrom?: { readonly runId: string; readonly from?: string };
  /** Budgets raised by a person; the effective budget is this over the definition's. */
  readonly budgets?: RaisedBudgets;
  /**
   * Phases keyed by id: the workflow's, and the instances of its maps (also those of an earlier
   * expansion that are no longer part of the run, which keep their attempts and versions).
   */
  readonly phases: Readonly<Record<string, PhaseState>>;
  /**
   * Definitions of the phases in `order`, keyed by id. An expanded map's `needs` include its
   * instances (it collects their outputs); instances need the map's own needs, the template
   * phases before them, and the elements their element depends on.
   */
  readonly definitions: Readonly<Record<string, PhaseDefinition>>;
  /**
   * The phases of the run now, in workflow order, each map preceded by its current instances
   * (elements in dependency order, template phases in template order).
   */
  readonly order: readonly string[];
  /** Expanded maps: map id -> its current instances, in `order`. */
  readonly instances: Readonly<Record<string, readonly string[]>>;
  /** Reverse edges: phase id -> ids of the phases that need it. */
  readonly dependents: Readonly<Record<string, readonly string[]>>;
  /** Review loops: reviewed phase id -> its reviewer's id. */
  readonly reviewerOf: Readonly<Record<string, string>>;
  /**
   * Reviewer id -> the phases that may use the reviewed phase's output while it is `in_review`:
   * those between the two, and the reviewer.
   */
  readonly reviewScope: Readonly<Record<string, readonly string[]>>;
  /**
   * Ordering-only dependencies: phase id -> reviewed phases it waits for (completed) without
   * receiving their output — every phase downstream of a reviewed phase outside its review scope.
   */
  readonly waitsFor: Readonly<Record<string, readonly string[]>>;
}

// ---------------------------------------------------------------------------------------------
// Events (the durable log)
// ---------------------------------------------------------------------------------------------

/** A human decision on a waiting phase, or a person's control of a failed phase. */
export type DecisionKind = 'approve' | 'reject' | 'request_changes' | 'edit' | 'submit' | 'retry' | 'skip';

interface EventBase {
  /** Gap-free sequence number within the run, from 1. */
  readonly seq: number;
  /** Epoch milliseconds, from the engine's clock. */
  readonly at: number;
}

/**
 * The durable events of a run. Every state change is one of these; see `docs/engine.md`.
 */
export type RunEventBody =
  | {
      readonly type: 'run_created';
      readonly runId: string;
      readonly workflow: WorkflowDefinition;
      readonly fixtures: FixtureSet;
      readonly inputs: Readonly<Record<string, JsonValue>>;
      readonly by: string;
      /** Set when the run is a fork: the source run and the phase it was forked from. */
      readonly forkedFrom?: { readonly runId: string; readonly from?: string };
    }
  /**
   * A fork took over a phase's result from its source run: `completed` with the source's accepted
   * output (stored again here as `artifact`, version 1), or `skipped`.
   */
  | {
      readonly type: 'phase_copied';
      readonly phaseId: string;
      readonly fromRunId: string;
      readonly status: 'completed' | 'skipped';
      /** The source's artifact version. */
      readonly sourceVersion?: number;
      readonly artifact?: ArtifactRef;
    }
  | {
      readonly type: 'phase_ready';
      readonly phaseId: string;
      readonly attempt: number;
      readonly notBefore?: number;
      readonly feedback?: string;
      /** A reviewer sent the phase back: its id and the version of its output (the findings). */
      readonly review?: { readonly by: string; readonly version: number };
    }
  /** A reviewed phase's output is accepted for its review (`in_review`). */
  | {
      readonly type: 'phase_in_review';
      readonly phaseId: string;
      readonly attempt: number;
      readonly version: number;
    }
  /**
   * A reviewer's attempt ended with a verdict on the phase it reviews (`round`: revise verdicts in
   * the current count, this one included). What follows decides the reviewer's status.
   */
  | {
      readonly type: 'review_verdict';
      readonly phaseId: string;
      readonly attempt: number;
      readonly reviews: string;
      readonly verdict: ReviewVerdict;
      readonly round: number;
      readonly version: number;
    }
  /**
   * A map's attempt read its items: the run gains one instance of the template per element (the
   * attempt succeeded; the map waits for its instances, then collects their outputs).
   */
  | {
      readonly type: 'map_expanded';
      readonly phaseId: string;
      readonly attempt: number;
      readonly elements: readonly MapElement[];
    }
  | { readonly type: 'phase_started'; readonly phaseId: string; readonly attempt: number }
  | {
      readonly type: 'phase_output';
      readonly phaseId: string;
      readonly attempt: number;
      readonly artifact: ArtifactRef;
      readonly source: 'attempt' | 'edit' | 'submission';
    }
  | {
      readonly type: 'phase_completed';
      readonly phaseId: string;
      readonly attempt: number;
      readonly version?: number;
    }
  | {
      readonly type: 'phase_failed';
      readonly phaseId: string;
      readonly attempt: number;
      readonly error: PhaseError;
      /** Set when another attempt will follow automatically. */
      readonly retryAt?: number;
      /** `lost` (crash) or `interrupted` (Ctrl-C) attempts are abandoned rather than failed. */
      readonly abandoned?: 'lost' | 'interrupted';
    }
  | {
      readonly type: 'waiting_for_human';
      readonly phaseId: string;
      readonly attempt: number;
      readonly reason: string;
      readonly source: WaitSource;
      readonly version?: number;
      readonly recommendation?: Recommendation;
    }
  | {
      readonly type: 'human_decision';
      readonly phaseId: string;
      readonly attempt: number;
      readonly decision: DecisionKind;
      readonly by: string;
      readonly reason?: string;
      readonly feedback?: string;
    }
  | { readonly type: 'phase_skipped'; readonly phaseId: string; readonly reason: string }
  | {
      readonly type: 'phase_cancelled';
      readonly phaseId: string;
      readonly reason: string;
      readonly cause: 'fail-fast' | 'run';
    }
  /**
   * The phase goes back to `blocked` as if it had never run: its accepted output, pending gate and
   * open attempt are dropped (old versions stay readable); the next attempt gets a new number.
   */
  | {
      readonly type: 'phase_reset';
      readonly phaseId: string;
      readonly reason: string;
      /** `review`: part of a review round (the reviewed phase keeps its round count). */
      readonly cause?: 'review';
      /**
       * A map keeps its items (and instances) and only collects again; without it an expanded
       * map's instances leave the run and it reads its items again.
       */
      readonly keepItems?: true;
    }
  /**
   * A person rewound the run to `phaseId`: it and everything downstream run again (each reset by a
   * `phase_reset` that follows), with `inputs` (the run inputs that changed) merged into the run's.
   */
  | {
      readonly type: 'run_rewound';
      readonly phaseId: string;
      readonly by: string;
      readonly reason?: string;
      readonly inputs?: Readonly<Record<string, JsonValue>>;
    }
  /** An agent called a tool (its trace): nothing changes but the log. */
  | {
      readonly type: 'tool_called';
      readonly phaseId: string;
      readonly attempt: number;
      readonly tool: string;
      readonly input: JsonValue;
      readonly output?: string;
      readonly error?: string;
    }
  /** An attempt recorded a warning; the phase keeps it in `warnings`. */
  | {
      readonly type: 'phase_warning';
      readonly phaseId: string;
      readonly attempt: number;
      readonly code: string;
      readonly message: string;
    }
  /**
   * A person raised the run's budget (no `phaseId`) or a phase's: the limits given replace the
   * current ones; phases waiting on a budget run again.
   */
  | {
      readonly type: 'budget_raised';
      readonly phaseId?: string;
      readonly budget: Budget;
      readonly by: string;
      readonly reason?: string;
    }
  | { readonly type: 'run_paused'; readonly by: string; readonly reason?: string }
  | { readonly type: 'run_resumed'; readonly by: string }
  | { readonly type: 'run_cancelled'; readonly by: string; readonly reason?: string }
  | { readonly type: 'run_reopened'; readonly by: string; readonly reason: string }
  | { readonly type: 'run_completed' }
  | { readonly type: 'run_failed'; readonly reason: string };

/** A stored event: its body plus sequence number and time. */
export type RunEvent = RunEventBody & EventBase;
export type RunEventType = RunEventBody['type'];

/** An event body with its time, before the store numbers it. */
export type NewRunEvent = RunEventBody & { readonly at: number };

// ---------------------------------------------------------------------------------------------
// Inputs (what happens outside) and commands (what the runtime must do)
// ---------------------------------------------------------------------------------------------

/** Who did something: a user name, `cli`, `worker`, or `auto` for --auto approvals. */
export type Actor = string;

/** A person's decision on a phase waiting for them. */
export type Decision =
  | { readonly kind: 'approve' }
  | { readonly kind: 'reject' }
  | { readonly kind: 'request_changes'; readonly feedback: string }
  | { readonly kind: 'edit'; readonly output: OutputPayload }
  | { readonly kind: 'submit'; readonly output: OutputPayload };

/** A phase a fork takes over from its source run (see `planFork`). */
export interface ForkedPhase {
  readonly phaseId: string;
  readonly status: 'completed' | 'skipped';
  /** A completed phase's accepted output in the source run (absent when it had none). */
  readonly output?: OutputPayload;
  /** The source's version of that output. */
  readonly sourceVersion?: number;
}

/** Everything that can happen to a run from outside the engine. */
export type RunInput =
  | {
      readonly type: 'create';
      readonly runId: string;
      readonly workflow: WorkflowDefinition;
      readonly fixtures: FixtureSet;
      readonly inputs: Readonly<Record<string, JsonValue>>;
      readonly by: Actor;
      /**
       * Makes the run a fork: `phases` (which must include every phase each of them needs) start
       * with their source run's results; the others run.
       */
      readonly fork?: {
        readonly runId: string;
        readonly from?: string;
        readonly phases: readonly ForkedPhase[];
      };
    }
  /** A worker takes a queued task. */
  | { readonly type: 'claim'; readonly phaseId: string; readonly attempt: number }
  /** An attempt produced its output. */
  | {
      readonly type: 'succeed';
      readonly phaseId: string;
      readonly attempt: number;
      readonly output: OutputPayload;
    }
  /** An attempt failed. `retryable: false` skips automatic retries (e.g. a missing fixture). */
  | {
      readonly type: 'fail';
      readonly phaseId: string;
      readonly attempt: number;
      readonly error: PhaseError;
      readonly retryable: boolean;
    }
  /** An attempt stopped without a result: its process died (`lost`) or was interrupted. */
  | {
      readonly type: 'abandon';
      readonly phaseId: string;
      readonly attempt: number;
      readonly cause: 'lost' | 'interrupted';
    }
  /**
   * An attempt stopped to wait for a person: an agent's interrupt (with `pauseRun` the run pauses
   * too) or a model call that would cross a budget. The phase waits with that source.
   */
  | {
      readonly type: 'suspend';
      readonly phaseId: string;
      readonly attempt: number;
      readonly source: 'interrupt' | 'budget';
      readonly reason: string;
      readonly pauseRun?: boolean;
    }
  /** A running attempt records a warning (ignored once the attempt is no longer current). */
  | {
      readonly type: 'warn';
      readonly phaseId: string;
      readonly attempt: number;
      readonly code: string;
      readonly message: string;
    }
  /** A running attempt records one tool call of its agent in the phase's trace (`tool_called`). */
  | {
      readonly type: 'trace';
      readonly phaseId: string;
      readonly attempt: number;
      readonly tool: string;
      readonly input: JsonValue;
      /** What the tool returned (shortened), or why it failed. */
      readonly output?: string;
      readonly error?: string;
    }
  /** A person raises the run's budget (no `phaseId`) or a phase's. */
  | {
      readonly type: 'raise_budget';
      readonly phaseId?: string;
      readonly budget: Budget;
      readonly by: Actor;
      readonly reason?: string;
    }
  | {
      readonly type: 'decide';
      readonly phaseId: string;
      readonly decision: Decision;
      readonly by: Actor;
      readonly reason?: string;
    }
  | { readonly type: 'retry'; readonly phaseId: string; readonly by: Actor; readonly reason?: string }
  | { readonly type: 'skip'; readonly phaseId: string; readonly by: Actor; readonly reason?: string }
  /**
   * Run `phaseId` and everything downstream of it again (running attempts aborted, gates withdrawn,
   * approvals void), optionally with changed run inputs; an ended run reopens.
   */
  | {
      readonly type: 'rewind';
      readonly phaseId: string;
      readonly by: Actor;
      readonly reason?: string;
      /** Run inputs to change (merged into the run's; the result must match the inputs schema). */
      readonly inputs?: Readonly<Record<string, JsonValue>>;
    }
  | { readonly type: 'pause'; readonly by: Actor; readonly reason?: string }
  | { readonly type: 'resume'; readonly by: Actor }
  | { readonly type: 'cancel'; readonly by: Actor; readonly reason?: string };
export type RunInputType = RunInput['type'];

/** Effects the runtime carries out; `enqueue`/`dequeue`/`store_artifact` inside the same transaction. */
export type Command =
  /** Queue the attempt for a worker, not before `runAt`. */
  | {
      readonly type: 'enqueue';
      readonly phaseId: string;
      readonly attempt: number;
      readonly kind: PhaseKind;
      readonly runAt: number;
    }
  /** Remove the phase's queued (not yet claimed) tasks. */
  | { readonly type: 'dequeue'; readonly phaseId: string }
  /**
   * The attempt that just started must end by `at` (its phase's timeout): past it the runtime stops
   * the attempt and reports a `TIMEOUT` failure.
   */
  | { readonly type: 'deadline'; readonly phaseId: string; readonly attempt: number; readonly at: number }
  /** Stop a running attempt (cancel, fail-fast); its late result will be ignored. */
  | { readonly type: 'abort'; readonly phaseId: string; readonly attempt: number; readonly reason: string }
  /** Store an artifact's content under `(run, phase, version)`. */
  | {
      readonly type: 'store_artifact';
      readonly phaseId: string;
      readonly attempt: number;
      readonly artifact: ArtifactRef;
      readonly payload: OutputPayload;
    };
