/**
 * Fixtures files: scripted answers of the offline `scripted` agent, keyed by phase id.
 *
 * ```yaml
 * draft:
 *   output: { title: Release 1.2 }     # any JSON; a string is text
 *   delayMs: 200
 *   attempts:
 *     "1": { fail: model overloaded }   # the first attempt fails, later ones get `output`
 * writer:                               # scripted model provider: every phase of agent `writer`
 *   replies:                            # one answer per model call of an attempt
 *     - { output: '{"titel": "x"}' }    # does not fit the output schema: asked again
 *     - { output: { title: x }, usage: { inputTokens: 120, outputTokens: 8 } }
 * ```
 */
import type { Problem } from '../errors.js';
import type {
  FixtureAnswer,
  FixtureEntry,
  FixtureFile,
  FixtureToolCall,
  FixtureUsage,
  JsonValue,
} from '../types.js';
import {
  checkKnownFields,
  describeValue,
  fieldPath,
  indexPath,
  isRecord,
  listWords,
} from './field-checks.js';
import { INSTANCE_KEY_PATTERN, MAX_ID_LENGTH, PHASE_ID_PATTERN } from './rules.js';
import { printableProblems } from './printable.js';
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

/** Where an answer sits: an entry, one of its `attempts`, or one of the `replies` of either. */
type AnswerLevel = 'entry' | 'attempt' | 'reply';

const ANSWER_KINDS = ['output', 'fail', 'toolCalls', 'replies'] as const;
const FIELDS: Readonly<Record<AnswerLevel, readonly string[]>> = {
  entry: ['output', 'fail', 'delayMs', 'replies', 'toolCalls', 'usage', 'attempts'],
  attempt: ['output', 'fail', 'delayMs', 'replies', 'toolCalls', 'usage'],
  reply: ['output', 'fail', 'delayMs', 'toolCalls', 'usage'],
};
const NEEDED: Readonly<Record<AnswerLevel, string>> = {
  entry: 'output, fail, toolCalls, replies or attempts',
  attempt: 'output, fail, toolCalls or replies',
  reply: 'output, fail or toolCalls',
};

/**
 * Parses and validates a fixtures file. Each key is a phase id (or, for the scripted model
 * provider, an agent's name); each entry needs `output`, `fail` or `attempts`, never both
 * `output` and `fail`; `delayMs` is a whole number of milliseconds; `attempts` maps attempt
 * numbers (`"1"`, `"2"`, …) to answers that need `output` or `fail`. For the scripted model
 * provider an answer may instead hold `toolCalls` (a list of `{tool, input}`) or `replies` (a list
 * of answers, one per model call of the attempt), and `usage` (`{inputTokens, outputTokens}`);
 * an answer holds one of `output`, `fail`, `toolCalls` and `replies`.
 * `output` must be JSON (no infinities, binary or other YAML-only values). An empty file has no
 * entries. Reports every problem at once (text from the file that a problem quotes has its
 * control characters escaped); never throws on bad input.
 */
export function parseFixtures(text: string, options: ParseFixturesOptions = {}): FixturesResult {
  const parsed = parseSourceText(text, options.fileName ?? 'fixtures');
  const result = parsed.ok ? validateFixtures(parsed.value) : parsed;
  return result.ok ? result : { ok: false, problems: printableProblems(result.problems) };
}

/** Options of {@link validateFixtures}. */
export interface ValidateFixturesOptions {
  /** Where the fixtures are (`phases[1].fixtures`, when inline in a workflow): problems' paths start there. Default: the top. */
  readonly path?: string;
}

/** Validates already parsed fixtures data; see {@link parseFixtures}. */
export function validateFixtures(raw: unknown, options: ValidateFixturesOptions = {}): FixturesResult {
  const base = options.path ?? '';
  if (raw === null || raw === undefined) return { ok: true, fixtures: {} };
  if (!isRecord(raw)) {
    return {
      ok: false,
      problems: [
        {
          path: base,
          message: `a fixtures file must be a mapping keyed by phase id, got ${describeValue(raw)}`,
        },
      ],
    };
  }
  const problems: Problem[] = [];
  const fixtures: Record<string, FixtureEntry> = {};
  for (const [phaseId, value] of Object.entries(raw)) {
    const path = fieldPath(base, phaseId);
    if (
      !(PHASE_ID_PATTERN.test(phaseId) || INSTANCE_KEY_PATTERN.test(phaseId)) ||
      phaseId.length > MAX_ID_LENGTH * 2 + 10
    ) {
      problems.push({
        path,
        message: `invalid phase id ${JSON.stringify(phaseId)} (keys of a fixtures file are phase ids, or a map's instances such as "tasks[2].code" or "tasks[*].code" for every element)`,
      });
    }
    const entry = checkAnswer(value, path, problems, 'entry');
    if (entry !== undefined) fixtures[phaseId] = entry;
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, fixtures };
}

function checkAnswer(
  value: unknown,
  path: string,
  problems: Problem[],
  level: AnswerLevel,
): FixtureEntry | undefined {
  const needed = NEEDED[level];
  if (!isRecord(value)) {
    problems.push({ path, message: `must be a mapping with ${needed}, got ${describeValue(value)}` });
    return undefined;
  }
  checkKnownFields(value, FIELDS[level], path, problems);
  const allowed = new Set(FIELDS[level]);
  const answer: {
    output?: JsonValue;
    fail?: string;
    delayMs?: number;
    replies?: FixtureAnswer[];
    toolCalls?: FixtureToolCall[];
    usage?: FixtureUsage;
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
  const kinds = ANSWER_KINDS.filter((kind) => value[kind] !== undefined && allowed.has(kind));
  if (kinds.length > 1) {
    problems.push({
      path,
      message:
        kinds.length === 2 && kinds[0] === 'output' && kinds[1] === 'fail'
          ? 'set either output or fail, not both'
          : `set only one of output, fail, toolCalls and replies, not ${listWords(kinds).replace(/ or /, ' and ')}`,
    });
  }
  if (value.delayMs !== undefined) {
    const delay = value.delayMs;
    if (isWholeNumber(delay)) answer.delayMs = delay;
    else {
      problems.push({
        path: fieldPath(path, 'delayMs'),
        message: `must be a whole number of milliseconds (0 or more), got ${describeValue(delay)}`,
      });
    }
  }
  if (value.toolCalls !== undefined) {
    const toolCalls = checkToolCalls(value.toolCalls, fieldPath(path, 'toolCalls'), problems);
    if (toolCalls !== undefined) answer.toolCalls = toolCalls;
  }
  if (value.usage !== undefined) {
    const usage = checkUsage(value.usage, fieldPath(path, 'usage'), problems);
    if (usage !== undefined) answer.usage = usage;
  }
  if (level !== 'reply' && value.replies !== undefined) {
    const replies = checkReplies(value.replies, fieldPath(path, 'replies'), problems);
    if (replies !== undefined) answer.replies = replies;
  }
  if (level === 'entry' && value.attempts !== undefined) {
    const attempts = checkAttempts(value.attempts, fieldPath(path, 'attempts'), problems);
    if (attempts !== undefined) answer.attempts = attempts;
  }
  const hasAnswer = kinds.length > 0 || (level === 'entry' && value.attempts !== undefined);
  if (!hasAnswer) problems.push({ path, message: `must have ${needed}` });
  return answer;
}

function isWholeNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
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
    const answer = checkAnswer(value[key], attemptPath, problems, 'attempt');
    if (answer !== undefined) attempts[key] = answer;
  }
  return attempts;
}

function checkReplies(value: unknown, path: string, problems: Problem[]): FixtureAnswer[] | undefined {
  if (!Array.isArray(value) || value.length === 0) {
    problems.push({
      path,
      message: `must be a non-empty list of answers, one per model call, such as [{ output: x }, { output: y }], got ${describeValue(value)}`,
    });
    return undefined;
  }
  const replies: FixtureAnswer[] = [];
  value.forEach((reply: unknown, index) => {
    const answer = checkAnswer(reply, indexPath(path, index), problems, 'reply');
    if (answer !== undefined) replies.push(answer);
  });
  return replies;
}

function checkToolCalls(value: unknown, path: string, problems: Problem[]): FixtureToolCall[] | undefined {
  if (!Array.isArray(value) || value.length === 0) {
    problems.push({
      path,
      message: `must be a non-empty list of tool calls, such as [{ tool: read_file, input: { path: a.md } }], got ${describeValue(value)}`,
    });
    return undefined;
  }
  const calls: FixtureToolCall[] = [];
  value.forEach((call: unknown, index) => {
    const callPath = indexPath(path, index);
    if (!isRecord(call)) {
      problems.push({
        path: callPath,
        message: `must be a mapping with tool and input, got ${describeValue(call)}`,
      });
      return;
    }
    checkKnownFields(call, ['tool', 'input'], callPath, problems);
    const { tool, input } = call;
    const toolOk = typeof tool === 'string' && tool.trim() !== '';
    if (!toolOk) {
      problems.push({
        path: fieldPath(callPath, 'tool'),
        message:
          tool === undefined
            ? "must be set: the tool's name"
            : `must be the tool's name, got ${describeValue(tool)}`,
      });
    }
    let inputOk = false;
    if (input === undefined) {
      problems.push({
        path: fieldPath(callPath, 'input'),
        message: 'must be set: the input of the call (JSON)',
      });
    } else {
      const nonJson = findNonJson(input, fieldPath(callPath, 'input'));
      problems.push(...nonJson);
      inputOk = nonJson.length === 0;
    }
    if (toolOk && inputOk) calls.push({ tool, input: input as JsonValue });
  });
  return calls;
}

function checkUsage(value: unknown, path: string, problems: Problem[]): FixtureUsage | undefined {
  if (!isRecord(value)) {
    problems.push({
      path,
      message: `must be a mapping with inputTokens and outputTokens, got ${describeValue(value)}`,
    });
    return undefined;
  }
  checkKnownFields(value, ['inputTokens', 'outputTokens'], path, problems);
  const { inputTokens, outputTokens } = value;
  for (const [name, tokens] of [
    ['inputTokens', inputTokens],
    ['outputTokens', outputTokens],
  ] as const) {
    if (isWholeNumber(tokens)) continue;
    problems.push({
      path: fieldPath(path, name),
      message: `must be a whole number of tokens (0 or more), got ${tokens === undefined ? 'nothing' : describeValue(tokens)}`,
    });
  }
  return isWholeNumber(inputTokens) && isWholeNumber(outputTokens)
    ? { inputTokens, outputTokens }
    : undefined;
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
