/**
 * Builtin steps: deterministic work written in TypeScript — decide a verdict, validate a
 * document, merge outputs — that a `builtin` phase runs in-process by name (`kind: builtin, run:
 * verdict`). No shell and no process: a step runs for every tenant, also where tool phases are
 * refused. The runtime's builtin handler gathers the inputs, checks them against the step's
 * `input` schema, runs it, checks the result against its `output` schema and returns it as the
 * phase's JSON output. Steps come from the composition roots (the CLI, the server), which pass a
 * {@link BuiltinSteps} map down; the engine and the runtime know none by name.
 */
import type { PhaseFailureCode } from '../phase-codes.js';
import type { JsonSchema, JsonValue } from '../types.js';

/**
 * What a step receives: the accepted outputs of the phases its phase needs, by phase id — a JSON
 * output parsed, a text output as a string, a file tree as its manifest (`{files, summary}`). A
 * skipped phase is absent.
 */
export type BuiltinInputs = Readonly<Record<string, JsonValue>>;

/** Where a step runs: the attempt it is, the run's inputs, and what it may read. */
export interface BuiltinContext {
  readonly runId: string;
  readonly phaseId: string;
  readonly attempt: number;
  /** The run's inputs (`--input k=v`, `POST /api/runs {inputs}`). */
  readonly runInputs: Readonly<Record<string, JsonValue>>;
  /**
   * The phases its phase needs, as written: one missing from the inputs was skipped (a person
   * skipped it, or it failed with `onFailure: skip`).
   */
  readonly needs: readonly string[];
  /** Aborts on timeout, cancel or shutdown; a step that takes long should stop when it fires. */
  readonly signal: AbortSignal;
  /** A file of a file-tree input, by the `sha256` in its manifest; undefined when it is not stored. */
  readBlob(sha256: string): Promise<string | undefined>;
}

/**
 * A step's result. `ok: true`: `output` is the phase's output (a JSON artifact). `ok: false`:
 * the attempt fails with `code` and `message` — a documented {@link PhaseFailureCode} (a step
 * with a failure of its own adds its code there) — and is not retried unless `retryable`.
 */
export type BuiltinResult =
  | { readonly ok: true; readonly output: JsonValue }
  | {
      readonly ok: false;
      readonly code: PhaseFailureCode;
      readonly message: string;
      readonly retryable?: boolean;
    };

/** One named step. */
export interface BuiltinStep {
  /** The name phases give in `run` (`^[a-z][a-z0-9-]*$`); its key in {@link BuiltinSteps}. */
  readonly name: string;
  /** One line saying what it decides or produces (listed when a workflow names an unknown step). */
  readonly description: string;
  /** JSON Schema of the inputs object (keyed by needed phase id), checked before `run`. */
  readonly input?: JsonSchema;
  /** JSON Schema of the output, checked after `run`. */
  readonly output?: JsonSchema;
  /**
   * Does the work. Returns a failure as data (`ok: false`); a throw is a bug or an unexpected
   * condition and fails the attempt as `BUILTIN_FAILED`, retried per the phase's policy.
   */
  run(inputs: BuiltinInputs, context: BuiltinContext): Promise<BuiltinResult> | BuiltinResult;
}

/** The steps a process can run, by name (each key equals its step's `name`). */
export type BuiltinSteps = Readonly<Record<string, BuiltinStep>>;
