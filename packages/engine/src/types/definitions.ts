/**
 * Baton engine — domain types: workflow definitions (this file). The other concepts have their
 * own files beside it: `fixtures.ts`, `artifacts.ts`, `run-state.ts`, `events.ts`, `inputs.ts`,
 * `commands.ts`; `../types.ts` re-exports them all.
 *
 * Glossary
 * - **Workflow definition**: a named, versioned DAG of phases, loaded from YAML/JSON or built in
 *   TypeScript, validated and normalised (every default filled in) before a run may use it.
 * - **Phase**: one node of the DAG. Its `kind` says who does the work: `tool` (a shell command),
 *   `agent` (a model, or the offline `scripted` agent), `human` (a person's submission), `builtin`
 *   (a named TypeScript step run in-process, no shell) or `map` (one instance of a template per
 *   element of an upstream phase's JSON array).
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
 * - **onReject**: what a person's reject does — `fail` (the phase stays rejected; what needs it
 *   waits and the run fails) or `skip` (the reject is recorded, then the phase is skipped).
 */

import type { PhaseStatus, RunStatus } from './statuses.js';

/** A JSON Schema document (draft-07 or 2020-12), kept as plain data. */
export type JsonSchema = Record<string, unknown> | boolean;

/** Any JSON value. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Who does a phase's work. */
export const PhaseKind = {
  tool: 'tool',
  agent: 'agent',
  human: 'human',
  builtin: 'builtin',
  map: 'map',
} as const;
export type PhaseKind = (typeof PhaseKind)[keyof typeof PhaseKind];

/** Model providers a model setting may name (`scripted`: Baton's offline provider). */
export const ModelProviders = ['anthropic', 'deepseek', 'openai', 'openai-compatible', 'scripted'] as const;
export type ModelProvider = (typeof ModelProviders)[number];

/**
 * Which model an agent calls, as written: any part may be left to the next level — phase, then
 * agent, then workflow, then the installation's setting for the agent, then the agent's
 * recommended model, then the installation's `model`, then the default (see `docs/agents.md`).
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
  /**
   * How long one model call may take before it fails (retryable) as a timeout, in milliseconds
   * (written `callTimeout: 5m`); unset at every level: the installation's `agents.callTimeout`.
   */
  readonly callTimeoutMs?: number;
}

/**
 * The model an agent's author recommends (`recommended:` on an inline agent): it names a provider
 * and a model, and yields — it is used only when no more specific level names a provider or a
 * model for the agent, and only when its provider is configured (has its key or server).
 */
export type RecommendedModel = ModelSetting & {
  readonly provider: ModelProvider;
  readonly model: string;
};

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
  /** The model its author recommends, under every setting that names one (see {@link RecommendedModel}). */
  readonly recommended?: RecommendedModel;
  /** JSON Schema of the agent's artifact; absent: free markdown. */
  readonly output?: JsonSchema;
  /** The needed phases whose artifacts it reads; absent: all of them. */
  readonly reads?: readonly string[];
  readonly tools: readonly AgentTool[];
}

/** What happens to the run when a phase has failed for good (retries exhausted). */
export const OnFailure = { continue: 'continue', failFast: 'fail-fast', skip: 'skip' } as const;
export type OnFailure = (typeof OnFailure)[keyof typeof OnFailure];

/**
 * What a person's reject does to a phase: `fail` (the default) leaves it `rejected`, which holds
 * back everything downstream and fails the run; `skip` records the reject and then skips the phase
 * (`phase_skipped`), so dependents run without its output as for any skipped phase.
 */
export const OnReject = { fail: 'fail', skip: 'skip' } as const;
export type OnReject = (typeof OnReject)[keyof typeof OnReject];

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
  /** `tool`: the command, run with `sh -c`; `builtin`: the name of the step to run. */
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
  /**
   * `skip`: a person's reject skips the phase instead of stopping what follows it. Absent means
   * `fail` (normalisation drops `fail`, so definitions written before the field read the same).
   * Only phases a person can reject take it: a gate, a human phase, an agent phase (its interrupts
   * and budget waits) — never a reviewer.
   */
  readonly onReject?: OnReject;
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

/**
 * One entry of a workflow's `stages:` — a label a person reads for where the run stands
 * (`spec_ready`), normalised: single statuses become lists. It **holds** when the run's status is
 * one of `run` (when given) and at least one phase of `phases` is in one of its statuses (when
 * given); at least one of the two is set. The run's stage is the label of the last entry that
 * holds (`runStage`).
 */
export interface StageDefinition {
  /** The label (`^[a-z][a-z0-9_]*$`), unique in the workflow. */
  readonly stage: string;
  /** Workflow phase id -> the phase statuses (`PhaseStatus`) in which this entry holds. */
  readonly phases?: Readonly<Record<string, readonly PhaseStatus[]>>;
  /** The run statuses (`RunStatus`) in which this entry holds. */
  readonly run?: readonly RunStatus[];
}

/**
 * Where a run's title comes from (`title:` of a workflow): when phase `from` succeeds, its output
 * names the run — the string `field` of its JSON output, or, without `field`, the first non-empty
 * line of its text — unless a person titled the run.
 */
export interface TitleSpec {
  /** A phase of the workflow (not a map's template phase). */
  readonly from: string;
  /** A top-level field of `from`'s JSON output whose value is a string. */
  readonly field?: string;
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
  /** Prepended to every agent's system prompt (a governance preamble every agent shares). */
  readonly governance?: string;
  /** The workflow's model setting (under the phases' and agents'). */
  readonly model?: ModelSetting;
  /** Inline agents, by name (phases name them in `agent`). */
  readonly agents?: Readonly<Record<string, AgentDefinition>>;
  /** The run's spending limit over all its model calls (see {@link Budget}). */
  readonly budget?: Budget;
  /** Where the run's title comes from (see {@link TitleSpec}). */
  readonly title?: TitleSpec;
  readonly phases: readonly PhaseDefinition[];
  /** Labels for where a run stands, derived from its state (see {@link StageDefinition}). */
  readonly stages?: readonly StageDefinition[];
}
