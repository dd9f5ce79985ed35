/**
 * The shape of a `builtin` step (`kind: builtin, run: NAME`): a deterministic TypeScript function
 * the runtime runs in-process, with no shell, for every tenant.
 *
 * A local copy of the port the engine/runtime will own: once `@baton/engine` (or
 * `@baton/runtime`) exports `BuiltinStep` and its companions, these declarations are replaced by
 * imports of those, with the same shapes.
 */
import type { JsonSchema, JsonValue } from '@baton/engine';

/** The inputs of a step: each needed phase's output by phase id (JSON, text, or a file-tree manifest). */
export type BuiltinInputs = Readonly<Record<string, JsonValue>>;

/** Where a step runs: the run, its phase and attempt, and the run's inputs. */
export interface BuiltinContext {
  readonly runId: string;
  readonly phaseId: string;
  readonly attempt: number;
  readonly runInputs: Readonly<Record<string, JsonValue>>;
}

/**
 * What a step returns: an output (stored as the phase's JSON artifact), or a failure with a stable
 * code and a message for people; a failure is final unless `retryable`.
 */
export type BuiltinResult =
  | { readonly ok: true; readonly output: JsonValue }
  | { readonly ok: false; readonly code: string; readonly message: string; readonly retryable?: boolean };

/** A named in-process step. `input` is checked before `run`, `output` after it. */
export interface BuiltinStep {
  readonly name: string;
  readonly description: string;
  /** JSON Schema of the inputs object (keyed by needed phase id). */
  readonly input?: JsonSchema;
  /** JSON Schema of the output. */
  readonly output?: JsonSchema;
  run(inputs: BuiltinInputs, context: BuiltinContext): Promise<BuiltinResult> | BuiltinResult;
}

/** The steps a runtime knows, by name (what `run:` of a builtin phase names). */
export type BuiltinSteps = ReadonlyMap<string, BuiltinStep>;
