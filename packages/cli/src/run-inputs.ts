import { readFile } from 'node:fs/promises';
import { BatonError, ErrorCode, printable, type JsonSchema, type JsonValue } from '@baton/engine';
import { checkChangedInputs, checkRunInputs, decodeText, inputsOrThrow } from '@baton/runtime';

/** The last line of the error of inputs that do not match: how the CLI takes inputs. */
export const INPUTS_HINT = 'pass them with --input name=value';

/**
 * Parses `--input k=v` and `--input k=@file` flags into run inputs and checks them against the
 * workflow's `inputs` schema (strings are coerced to the schema's types; defaults are applied).
 */
export async function parseRunInputs(
  flags: readonly string[],
  schema: JsonSchema | undefined,
): Promise<Record<string, JsonValue>> {
  return inputsOrThrow(checkRunInputs(schema, await parseInputFlags(flags)), INPUTS_HINT);
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
  return inputsOrThrow(checkChangedInputs(schema, current, await parseInputFlags(flags)), INPUTS_HINT);
}

/** Parses `--input` flags into raw (string) inputs, unchecked. */
export async function parseInputFlags(flags: readonly string[]): Promise<Record<string, JsonValue>> {
  const raw: Record<string, JsonValue> = {};
  for (const flag of flags) {
    // A flag is quoted in messages with its control characters escaped.
    const shown = printable(flag);
    const eq = flag.indexOf('=');
    if (eq <= 0) {
      throw new BatonError(ErrorCode.badRequest, `--input "${shown}": expected name=value or name=@file`);
    }
    const name = flag.slice(0, eq);
    const value = flag.slice(eq + 1);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      throw new BatonError(
        ErrorCode.badRequest,
        `--input "${shown}": the name must be letters, digits and _ (it becomes $BATON_INPUT_${printable(name)})`,
      );
    }
    if (value.startsWith('@')) {
      raw[name] = await readInputFile(name, value.slice(1));
    } else {
      raw[name] = value;
    }
  }
  return raw;
}

/**
 * The text of an `--input name=@file` file. Fails when it is missing or unreadable, or not text
 * (a run input is a string: a binary file would arrive mangled), without quoting its bytes.
 */
async function readInputFile(name: string, file: string): Promise<string> {
  const flag = `--input ${name}=@${printable(file)}`;
  let text: string | undefined;
  try {
    text = decodeText(await readFile(file));
  } catch (error) {
    const reason = (error as { code?: string }).code === 'ENOENT' ? 'file not found' : String(error);
    throw new BatonError(ErrorCode.badRequest, `${flag}: ${reason}`);
  }
  if (text === undefined)
    throw new BatonError(
      ErrorCode.badRequest,
      `${flag}: not a text file (it looks binary); a run input is text — pass a text or JSON file`,
    );
  return text;
}
