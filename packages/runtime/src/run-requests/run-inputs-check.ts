/**
 * Checks of a run's inputs against its workflow's `inputs` schema, shared by `baton run`/`fork`/
 * `rewind` and the HTTP API: strings are coerced to the schema's types and its defaults filled in
 * (see `validateRunInputs`); problems name each field (`inputs.brief`).
 */
import {
  BatonError,
  ErrorCode,
  formatProblems,
  validateRunInputs,
  type JsonSchema,
  type JsonValue,
  type Problem,
  type RunInputsResult,
} from '@baton/engine';

/** A new run's inputs checked against the workflow's schema: the coerced inputs, or every problem. */
export function checkRunInputs(
  schema: JsonSchema | undefined,
  inputs: Readonly<Record<string, JsonValue>>,
): RunInputsResult {
  return validateRunInputs(schema, inputs);
}

/**
 * Changes to a run's inputs (a rewind, a fork): `current` with `changed` merged in must match the
 * schema. Returns only the changed inputs, coerced, or every problem of the merged inputs.
 */
export function checkChangedInputs(
  schema: JsonSchema | undefined,
  current: Readonly<Record<string, JsonValue>>,
  changed: Readonly<Record<string, JsonValue>>,
): RunInputsResult {
  const merged = validateRunInputs(schema, { ...current, ...changed });
  if (!merged.ok) return merged;
  return {
    ok: true,
    value: Object.fromEntries(
      Object.keys(changed).map((name) => [name, merged.value[name] ?? changed[name]!]),
    ),
  };
}

/**
 * The `INVALID_INPUT` error of inputs that do not match the workflow, listing every problem, with
 * `hint` (how this caller passes inputs) on a last line when given.
 */
export function invalidRunInputs(problems: readonly Problem[], hint?: string): BatonError {
  return new BatonError(
    ErrorCode.invalidInput,
    `the run's inputs do not match the workflow:\n${formatProblems(problems)}${hint === undefined ? '' : `\n${hint}`}`,
    { problems },
  );
}

/** The checked inputs, or throws {@link invalidRunInputs}. */
export function inputsOrThrow(result: RunInputsResult, hint?: string): Record<string, JsonValue> {
  if (!result.ok) throw invalidRunInputs(result.problems, hint);
  return result.value;
}
