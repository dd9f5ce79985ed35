import type { Problem } from '../errors.js';
import { validateJson } from '../schema/json-schema.js';
import type { JsonSchema, OutputPayload } from '../types.js';

/**
 * Checks an output against a phase's `output` schema. The output must be JSON (a text payload is
 * parsed) and satisfy the schema. Returns every problem; empty when the output is acceptable.
 */
export function checkOutput(schema: JsonSchema | undefined, output: OutputPayload): Problem[] {
  if (schema === undefined) return [];
  let value: unknown;
  try {
    value = JSON.parse(output.text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return [{ path: 'output', message: `is not JSON, but the phase has an output schema (${detail})` }];
  }
  return validateJson(schema, value);
}
