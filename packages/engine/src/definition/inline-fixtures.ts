/**
 * `fixtures:` of a workflow or a phase: the path of a fixtures file, or the fixtures themselves
 * (the same mapping a fixtures file holds), written inline.
 *
 * A run carries its fixtures as a {@link FixtureSet} keyed by the `fixtures:` value of the
 * normalised definition. A path is its own key; inline fixtures get a key of their own, which the
 * normalised definition holds in their place:
 *
 * - `inline:workflow` — the workflow's `fixtures:`;
 * - `inline:phase:<id>` — a phase's own `fixtures:`;
 * - `inline:phase:<map>.<id>` — the `fixtures:` of a phase of a map's template.
 *
 * Phase ids hold no `:` or `.`, so the keys never collide. A `fixtures:` text that starts with
 * `inline:` is such a key, never a path (a normalised definition validates to itself); whoever
 * loads the definition must hold the inline fixtures it names.
 */
import type { Problem } from '../errors.js';
import type { FixtureFile } from '../types.js';
import { describeValue, isRecord } from './field-checks.js';
import { validateFixtures } from './parse-fixtures.js';

/** What every inline fixtures key starts with. */
export const INLINE_FIXTURES_PREFIX = 'inline:';

/** The message of a fixtures path in a definition that must be self-contained. */
const SELF_CONTAINED_MESSAGE =
  "a workflow sent to the server must be self-contained: put the fixtures inline under `fixtures:` (a path on the server's disk is not read)";

/** True when a `fixtures:` value names inline fixtures rather than a file. */
export function isInlineFixturesKey(value: string): boolean {
  return value.startsWith(INLINE_FIXTURES_PREFIX);
}

/**
 * The key of inline fixtures: the workflow's (no phase), a phase's, or (`templateOf`) the phase
 * of a map's template.
 */
export function inlineFixturesKey(phase?: { readonly id: string; readonly templateOf?: string }): string {
  if (phase === undefined) return `${INLINE_FIXTURES_PREFIX}workflow`;
  const id = phase.templateOf === undefined ? phase.id : `${phase.templateOf}.${phase.id}`;
  return `${INLINE_FIXTURES_PREFIX}phase:${id}`;
}

/** Where {@link checkFixturesField} puts what it finds, and what it allows. */
export interface FixturesSink {
  /** False: a path is a problem ({@link SELF_CONTAINED_MESSAGE}); only inline fixtures are read. */
  readonly allowPaths: boolean;
  /** Inline fixtures found so far, by key. */
  readonly inline: Record<string, FixtureFile>;
}

/**
 * Checks a `fixtures:` value at `path`: a path (non-empty text), or inline fixtures (a mapping,
 * validated like a fixtures file, its problems under `path`), which go into `sink` under `key`.
 * Returns what the normalised definition holds (the path, or `key`), or undefined after a problem.
 */
export function checkFixturesField(
  value: unknown,
  path: string,
  key: string,
  sink: FixturesSink,
  problems: Problem[],
): string | undefined {
  if (typeof value === 'string' && value.trim() !== '') {
    if (!sink.allowPaths && !isInlineFixturesKey(value)) {
      problems.push({ path, message: SELF_CONTAINED_MESSAGE });
      return undefined;
    }
    return value;
  }
  if (isRecord(value)) {
    const result = validateFixtures(value, { path });
    if (!result.ok) {
      problems.push(...result.problems);
      return undefined;
    }
    sink.inline[key] = result.fixtures;
    return key;
  }
  problems.push({
    path,
    message: `must be the path of a fixtures file or the fixtures themselves (a mapping keyed by phase id), got ${describeValue(value)}`,
  });
  return undefined;
}
