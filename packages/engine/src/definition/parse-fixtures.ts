/**
 * Fixtures files: scripted answers of the offline `scripted` agent, keyed by phase id.
 *
 * ```yaml
 * draft:
 *   output: { title: Release 1.2 }     # any JSON; a string is text
 *   delayMs: 200
 *   attempts:
 *     "1": { fail: model overloaded }   # the first attempt fails, later ones get `output`
 * ```
 */
import type { Problem } from '../errors.js';
import type { FixtureAnswer, FixtureEntry, FixtureFile, JsonValue } from '../types.js';
import { checkKnownFields, describeValue, fieldPath, isRecord } from './field-checks.js';
import { INSTANCE_KEY_PATTERN, MAX_ID_LENGTH, PHASE_ID_PATTERN } from './rules.js';
import { parseSourceText } from './source-text.js';

/** Options of {@link parseFixtures}. */
export interface ParseFixturesOptions {
  /** Name used in syntax-error paths (`fixtures.yaml:3:5`); `.json` selects strict JSON. Default `fixtures`. */
  readonly fileName?: string;
}

/** A fixtures file's entries, or every problem found. */
export type FixturesResult =
  | { readonly ok: true; readonly fixtures: FixtureFile }
  | { readonly ok: false; readonly problems: Problem[] };

const ENTRY_FIELDS = ['output', 'fail', 'delayMs', 'attempts'] as const;
const ANSWER_FIELDS = ['output', 'fail', 'delayMs'] as const;

/**
 * Parses and validates a fixtures file. Each key is a phase id; each entry needs `output`, `fail`
 * or `attempts`, never both `output` and `fail`; `delayMs` is a whole number of milliseconds;
 * `attempts` maps attempt numbers (`"1"`, `"2"`, …) to answers that need `output` or `fail`.
 * `output` must be JSON (no infinities, binary or other YAML-only values). An empty file has no
 * entries. Reports every problem at once; never throws on bad input.
 */
export function parseFixtures(text: string, options: ParseFixturesOptions = {}): FixturesResult {
  const parsed = parseSourceText(text, options.fileName ?? 'fixtures');
  if (!parsed.ok) return parsed;
  return validateFixtures(parsed.value);
}

/** Validates already parsed fixtures data; see {@link parseFixtures}. */
export function validateFixtures(raw: unknown): FixturesResult {
  if (raw === null || raw === undefined) return { ok: true, fixtures: {} };
  if (!isRecord(raw)) {
    return {
      ok: false,
      problems: [
        {
          path: '',
          message: `a fixtures file must be a mapping keyed by phase id, got ${describeValue(raw)}`,
        },
      ],
    };
  }
  const problems: Problem[] = [];
  const fixtures: Record<string, FixtureEntry> = {};
  for (const [phaseId, value] of Object.entries(raw)) {
    const path = fieldPath('', phaseId);
    if (
      !(PHASE_ID_PATTERN.test(phaseId) || INSTANCE_KEY_PATTERN.test(phaseId)) ||
      phaseId.length > MAX_ID_LENGTH * 2 + 10
    ) {
      problems.push({
        path,
        message: `invalid phase id ${JSON.stringify(phaseId)} (keys of a fixtures file are phase ids, or a map's instances such as "tasks[2].code" or "tasks[*].code" for every element)`,
      });
    }
    const entry = checkAnswer(value, path, problems, true);
    if (entry !== undefined) fixtures[phaseId] = entry;
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, fixtures };
}

function checkAnswer(
  value: unknown,
  path: string,
  problems: Problem[],
  isEntry: boolean,
): FixtureEntry | undefined {
  const needed = isEntry ? 'output, fail or attempts' : 'output or fail';
  if (!isRecord(value)) {
    problems.push({ path, message: `must be a mapping with ${needed}, got ${describeValue(value)}` });
    return undefined;
  }
  checkKnownFields(value, isEntry ? ENTRY_FIELDS : ANSWER_FIELDS, path, problems);
  const answer: {
    output?: JsonValue;
    fail?: string;
    delayMs?: number;
    attempts?: Record<string, FixtureAnswer>;
  } = {};

  if (value.output !== undefined) {
    const nonJson = findNonJson(value.output, fieldPath(path, 'output'));
    if (nonJson.length === 0) answer.output = value.output as JsonValue;
    else problems.push(...nonJson);
  }
  if (value.fail !== undefined) {
    if (typeof value.fail === 'string' && value.fail.trim() !== '') answer.fail = value.fail;
    else {
      problems.push({
        path: fieldPath(path, 'fail'),
        message: `must be non-empty text (the failure message), got ${describeValue(value.fail)}`,
      });
    }
  }
  if (value.output !== undefined && value.fail !== undefined) {
    problems.push({ path, message: 'set either output or fail, not both' });
  }
  if (value.delayMs !== undefined) {
    const delay = value.delayMs;
    if (typeof delay === 'number' && Number.isSafeInteger(delay) && delay >= 0) answer.delayMs = delay;
    else {
      problems.push({
        path: fieldPath(path, 'delayMs'),
        message: `must be a whole number of milliseconds (0 or more), got ${describeValue(delay)}`,
      });
    }
  }
  if (isEntry && value.attempts !== undefined) {
    const attempts = checkAttempts(value.attempts, fieldPath(path, 'attempts'), problems);
    if (attempts !== undefined) answer.attempts = attempts;
  }
  const hasAnswer =
    value.output !== undefined || value.fail !== undefined || (isEntry && value.attempts !== undefined);
  if (!hasAnswer) problems.push({ path, message: `must have ${needed}` });
  return answer;
}

function checkAttempts(
  value: unknown,
  path: string,
  problems: Problem[],
): Record<string, FixtureAnswer> | undefined {
  if (!isRecord(value)) {
    problems.push({
      path,
      message: `must be a mapping from attempt number to answer, such as { "1": { fail: boom } }, got ${describeValue(value)}`,
    });
    return undefined;
  }
  const attempts: Record<string, FixtureAnswer> = {};
  const keys = Object.keys(value);
  if (keys.length === 0) problems.push({ path, message: 'must list at least one attempt' });
  for (const key of keys) {
    const attemptPath = `${path}[${JSON.stringify(key)}]`;
    if (!/^[1-9]\d{0,5}$/.test(key)) {
      problems.push({
        path: attemptPath,
        message: `attempt numbers are whole numbers from 1 (got ${JSON.stringify(key)})`,
      });
    }
    const answer = checkAnswer(value[key], attemptPath, problems, false);
    if (answer !== undefined) attempts[key] = answer;
  }
  return attempts;
}

/** A problem for each value inside `value` that is not JSON, in document order. */
function findNonJson(value: unknown, path: string): Problem[] {
  const problems: Problem[] = [];
  const stack: { value: unknown; path: string }[] = [{ value, path }];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const current = item.value;
    if (current === null || typeof current === 'string' || typeof current === 'boolean') continue;
    if (typeof current === 'number') {
      if (!Number.isFinite(current)) {
        problems.push({ path: item.path, message: `must be JSON: ${String(current)} is not a JSON number` });
      }
      continue;
    }
    const children: { value: unknown; path: string }[] = [];
    if (Array.isArray(current)) {
      current.forEach((element: unknown, i) => children.push({ value: element, path: `${item.path}[${i}]` }));
    } else if (isRecord(current) && Object.getPrototypeOf(current) === Object.prototype) {
      for (const [key, element] of Object.entries(current))
        children.push({ value: element, path: fieldPath(item.path, key) });
    } else {
      const type = Object.prototype.toString.call(current).slice(8, -1); // e.g. Uint8Array, Date
      problems.push({ path: item.path, message: `must be JSON, got a value of type ${type}` });
    }
    stack.push(...children.reverse());
  }
  return problems;
}
