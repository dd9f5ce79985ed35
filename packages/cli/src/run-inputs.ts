import { readFile } from 'node:fs/promises';
import {
  BatonError,
  ErrorCode,
  validateRunInputs,
  formatProblems,
  type JsonSchema,
  type JsonValue,
} from '@baton/engine';

/**
 * Parses `--input k=v` and `--input k=@file` flags into run inputs and checks them against the
 * workflow's `inputs` schema (strings are coerced to the schema's types; defaults are applied).
 */
export async function parseRunInputs(
  flags: readonly string[],
  schema: JsonSchema | undefined,
): Promise<Record<string, JsonValue>> {
  return checkInputs(schema, await parseInputFlags(flags));
}

/**
 * Parses `--input` flags that change some of a run's inputs (`baton rewind`): the run's inputs
 * with the changes must match the schema; returns only the changed ones, coerced.
 */
export async function parseChangedInputs(
  flags: readonly string[],
  schema: JsonSchema | undefined,
  current: Readonly<Record<string, JsonValue>>,
): Promise<Record<string, JsonValue>> {
  const changed = await parseInputFlags(flags);
  const merged = checkInputs(schema, { ...current, ...changed });
  return Object.fromEntries(Object.keys(changed).map((name) => [name, merged[name] ?? changed[name]!]));
}

async function parseInputFlags(flags: readonly string[]): Promise<Record<string, JsonValue>> {
  const raw: Record<string, JsonValue> = {};
  for (const flag of flags) {
    const eq = flag.indexOf('=');
    if (eq <= 0) {
      throw new BatonError(ErrorCode.badRequest, `--input "${flag}": expected name=value or name=@file`);
    }
    const name = flag.slice(0, eq);
    const value = flag.slice(eq + 1);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      throw new BatonError(
        ErrorCode.badRequest,
        `--input "${flag}": the name must be letters, digits and _ (it becomes $BATON_INPUT_${name})`,
      );
    }
    if (value.startsWith('@')) {
      try {
        raw[name] = await readFile(value.slice(1), 'utf8');
      } catch (error) {
        const reason = (error as { code?: string }).code === 'ENOENT' ? 'file not found' : String(error);
        throw new BatonError(ErrorCode.badRequest, `--input ${name}=@${value.slice(1)}: ${reason}`);
      }
    } else {
      raw[name] = value;
    }
  }
  return raw;
}

function checkInputs(
  schema: JsonSchema | undefined,
  raw: Record<string, JsonValue>,
): Record<string, JsonValue> {
  const checked = validateRunInputs(schema, raw);
  if (!checked.ok) {
    throw new BatonError(
      ErrorCode.invalidInput,
      `the run's inputs do not match the workflow:\n${formatProblems(checked.problems)}\npass them with --input name=value`,
      {
        problems: checked.problems,
      },
    );
  }
  return checked.value;
}
