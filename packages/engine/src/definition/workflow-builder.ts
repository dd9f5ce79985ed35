/**
 * A typed builder for workflow definitions written in TypeScript.
 *
 * ```ts
 * const result = workflow('release-notes', { description: 'Draft and approve release notes' })
 *   .tool('collect', { run: 'git log --oneline -20' })
 *   .agent('draft', { agent: 'scripted', fixtures: 'f.yaml', needs: ['collect'], gate: true })
 *   .tool('publish', { needs: ['draft'], run: 'cat "$BATON_INPUTS_DIR/draft"' })
 *   .build();
 * ```
 *
 * `needs` only type-checks with ids of phases added earlier, and an id cannot be added twice, so
 * most mistakes are compile errors; `build()` still validates everything (agents, durations,
 * schemas) exactly like a workflow file.
 */
import type { FixtureFile, JsonSchema, OnFailure, OnReject, TitleSpec } from '../types.js';
import { validateWorkflow, type ValidateWorkflowOptions, type WorkflowResult } from './validate-workflow.js';

/** Workflow-level fields of {@link workflow}. */
export interface WorkflowOptions {
  readonly version?: number;
  readonly description?: string;
  /** JSON Schema of the run's inputs. */
  readonly inputs?: JsonSchema;
  /** Default fixtures of scripted agent phases: a fixtures file's path, or the fixtures inline. */
  readonly fixtures?: string | FixtureFile;
  /** The phase whose output names the run (and the field of its JSON output). */
  readonly title?: TitleSpec;
}

/** A retry policy as written in a workflow file; durations such as `2s` or milliseconds. */
export interface RetryOptions {
  readonly maxAttempts?: number;
  readonly backoff?: string | number;
  readonly maxBackoff?: string | number;
  /** Attempts a crash may cost before the phase fails as stuck (default 3). */
  readonly maxRecoveries?: number;
}

/** Fields every kind of phase takes. `Ids`: the ids of the phases added so far. */
export interface PhaseOptions<Ids extends string> {
  readonly description?: string;
  readonly needs?: readonly Ids[];
  readonly gate?: boolean;
  readonly retry?: RetryOptions;
  /** A duration such as `10m`, or milliseconds. */
  readonly timeout?: string | number;
  readonly onFailure?: OnFailure;
  /** `skip`: a person's reject skips the phase, so what follows runs without it (default `fail`). */
  readonly onReject?: OnReject;
  /** JSON Schema of the phase's output. */
  readonly output?: JsonSchema;
  /** JSON Schema of the phase's input (an object keyed by needed phase id). */
  readonly input?: JsonSchema;
  /** Makes this phase the reviewer of an upstream phase (a review loop). */
  readonly reviews?: Ids;
  /** A reviewer's revise rounds before `onRoundsExhausted` (default 3). */
  readonly rounds?: number;
  /** `false`: one fix round, then go on without reviewing again. */
  readonly reReview?: boolean;
  readonly onRoundsExhausted?: 'fail' | 'continue' | 'human';
  /** Only recommend, at the reviewed phase's gate; nothing re-runs. */
  readonly advisory?: boolean;
}

/** A `tool` phase: a shell command. */
export interface ToolPhaseOptions<Ids extends string> extends PhaseOptions<Ids> {
  readonly run: string;
}

/** An `agent` phase. */
export interface AgentPhaseOptions<Ids extends string> extends PhaseOptions<Ids> {
  readonly agent: string;
  /** Fixtures of the `scripted` agent, a file's path or inline (or the workflow-level default). */
  readonly fixtures?: string | FixtureFile;
}

/** A `builtin` phase: a named in-process step (`run`: its name). */
export interface BuiltinPhaseOptions<Ids extends string> extends PhaseOptions<Ids> {
  readonly run: string;
}

/** A `human` phase: a person submits the output. */
export interface HumanPhaseOptions<Ids extends string> extends PhaseOptions<Ids> {
  readonly prompt?: string;
}

/** A phase id not used yet (resolves to `never`, a type error, when `Id` is already taken). */
export type NewPhaseId<Id extends string, Ids extends string> = Id & (Id extends Ids ? never : unknown);

/**
 * An immutable builder: each method returns a new builder with one more phase, so a partial
 * builder can be shared and extended in different ways.
 */
export interface WorkflowBuilder<Ids extends string = never> {
  /** Adds a `tool` phase. */
  tool<Id extends string>(id: NewPhaseId<Id, Ids>, options: ToolPhaseOptions<Ids>): WorkflowBuilder<Ids | Id>;
  /** Adds an `agent` phase. */
  agent<Id extends string>(
    id: NewPhaseId<Id, Ids>,
    options: AgentPhaseOptions<Ids>,
  ): WorkflowBuilder<Ids | Id>;
  /** Adds a `builtin` phase. */
  builtin<Id extends string>(
    id: NewPhaseId<Id, Ids>,
    options: BuiltinPhaseOptions<Ids>,
  ): WorkflowBuilder<Ids | Id>;
  /** Adds a `human` phase. */
  human<Id extends string>(
    id: NewPhaseId<Id, Ids>,
    options?: HumanPhaseOptions<Ids>,
  ): WorkflowBuilder<Ids | Id>;
  /** The definition as plain data, before validation (what a workflow file would contain). */
  toData(): Record<string, unknown>;
  /** Validates and normalises the definition, exactly like `validateWorkflow` of {@link toData}. */
  build(options?: ValidateWorkflowOptions): WorkflowResult;
}

/** Starts a workflow definition with the given id; add phases, then call `build()`. */
export function workflow(id: string, options: WorkflowOptions = {}): WorkflowBuilder {
  return createBuilder<never>({ id, ...options }, []);
}

function createBuilder<Ids extends string>(
  head: Readonly<Record<string, unknown>>,
  phases: readonly Readonly<Record<string, unknown>>[],
): WorkflowBuilder<Ids> {
  const add = <Id extends string>(
    kind: string,
    id: string,
    options: object | undefined,
  ): WorkflowBuilder<Ids | Id> =>
    createBuilder<Ids | Id>(head, [...phases, { id, kind, ...withoutUndefined(options ?? {}) }]);
  const toData = (): Record<string, unknown> => ({
    ...withoutUndefined(head),
    phases: phases.map((phase) => ({ ...phase })),
  });
  return {
    tool: (id, options) => add('tool', id, options),
    agent: (id, options) => add('agent', id, options),
    human: (id, options) => add('human', id, options),
    builtin: (id, options) => add('builtin', id, options),
    toData,
    build: (options) => validateWorkflow(toData(), options),
  };
}

function withoutUndefined(value: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}
