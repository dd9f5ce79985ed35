/**
 * Small helpers shared by the definition and fixtures validators: paths, value descriptions and
 * unknown-field checks.
 */
import type { Problem } from '../errors.js';
import { compileSchema } from '../schema/json-schema.js';
import type { JsonSchema } from '../types.js';
import { formatDuration, parseDuration } from './duration.js';
import { MAX_DURATION_MS } from './rules.js';
import { suggest } from './suggest.js';

/** A plain mapping (not null, not a list). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `phases[0]` + `needs` → `phases[0].needs`; keys that are not plain names are quoted. */
export function fieldPath(path: string, key: string): string {
  if (!/^[A-Za-z0-9_$][\w$-]*$/.test(key)) return `${path}[${JSON.stringify(key)}]`;
  return path === '' ? key : `${path}.${key}`;
}

/** `phases` + `2` → `phases[2]`. */
export function indexPath(path: string, index: number): string {
  return `${path}[${index}]`;
}

/** How a value reads in a message: `a list`, `a number (3)`, `a string ("x")`, `null`. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  switch (typeof value) {
    case 'string': {
      // Cut by code points: a cut never leaves half a surrogate pair.
      const chars = Array.from(value);
      return `a string (${JSON.stringify(chars.length > 40 ? `${chars.slice(0, 40).join('')}…` : value)})`;
    }
    case 'number':
      return `a number (${value})`;
    case 'boolean':
      return String(value);
    case 'object':
      return 'a mapping';
    default:
      return typeof value;
  }
}

/** `a, b or c`. */
export function listWords(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

/**
 * The `hint` of a problem whose message suggests `match` (`did you mean "needs"?`), to spread
 * into the problem; nothing when there is no suggestion.
 */
export function hintFor(match: string | undefined): { hint?: string } {
  return match === undefined ? {} : { hint: `did you mean "${match}"?` };
}

/**
 * Reports every key of `value` that is not in `allowed`, suggesting the closest allowed field
 * (`unknown field (did you mean "needs"?)`) or, when nothing is close, listing them.
 */
export function checkKnownFields(
  value: Record<string, unknown>,
  allowed: readonly string[],
  path: string,
  problems: Problem[],
): void {
  for (const key of Object.keys(value)) {
    if (allowed.includes(key)) continue;
    const match = suggest(key, allowed);
    problems.push({
      path: fieldPath(path, key),
      message:
        match === undefined
          ? `unknown field (expected ${listWords(allowed)})`
          : `unknown field (did you mean "${match}"?)`,
      ...hintFor(match),
    });
  }
}

/**
 * Checks that `value` is a JSON Schema (a mapping or a boolean) that ajv compiles; reports ajv's
 * message otherwise. Returns the schema when it is usable.
 */
export function checkJsonSchema(value: unknown, path: string, problems: Problem[]): JsonSchema | undefined {
  if (typeof value !== 'boolean' && !isRecord(value)) {
    problems.push({
      path,
      message: `must be a JSON Schema (a mapping or true/false), got ${describeValue(value)}`,
    });
    return undefined;
  }
  const compiled = compileSchema(value);
  if (!compiled.ok) {
    problems.push({ path, message: `invalid JSON Schema: ${compiled.message}` });
    return undefined;
  }
  return value;
}

/** Options of {@link checkDuration}. */
export interface CheckDurationOptions {
  /** Reject zero (timeouts). */
  readonly positive?: boolean;
}

/**
 * Checks a duration field (`10m`, `1h30m`, or milliseconds) and returns its milliseconds. Rejects
 * garbage, negative values, zero when `positive`, and anything over {@link MAX_DURATION_MS}.
 */
export function checkDuration(
  value: unknown,
  path: string,
  problems: Problem[],
  options: CheckDurationOptions = {},
): number | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') {
    problems.push({
      path,
      message: `must be a duration such as 2s, 10m or 1h30m, got ${describeValue(value)}`,
    });
    return undefined;
  }
  const parsed = parseDuration(value);
  const shown = typeof value === 'string' ? JSON.stringify(value) : String(value);
  if (!parsed.ok) {
    problems.push({ path, message: parsed.message });
    return undefined;
  }
  if (options.positive === true && parsed.ms === 0) {
    problems.push({ path, message: `must be longer than zero (got ${shown})` });
    return undefined;
  }
  if (parsed.ms > MAX_DURATION_MS) {
    problems.push({ path, message: `must be at most ${formatDuration(MAX_DURATION_MS)} (got ${shown})` });
    return undefined;
  }
  return parsed.ms;
}

/**
 * A whole-number field from `min` to `max`: returns it, or `fallback` after reporting "must be a
 * whole number from min to max (why), got …".
 */
export function checkWholeNumber(
  value: unknown,
  path: string,
  bounds: { readonly min: number; readonly max: number; readonly why: string; readonly fallback: number },
  problems: Problem[],
): number {
  if (value === undefined) return bounds.fallback;
  if (typeof value === 'number' && Number.isInteger(value) && value >= bounds.min && value <= bounds.max) {
    return value;
  }
  problems.push({
    path,
    message: `must be a whole number from ${bounds.min} to ${bounds.max} (${bounds.why}), got ${describeValue(value)}`,
  });
  return bounds.fallback;
}
