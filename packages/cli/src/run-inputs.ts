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
