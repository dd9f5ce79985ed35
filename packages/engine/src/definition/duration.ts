/**
 * Durations as written in workflow files: `500ms`, `2s`, `10m`, `1h`, `1h30m`, `1.5h`, `2d`, or a
 * number of milliseconds.
 */

/** Milliseconds per unit, largest first (the order units must appear in within one duration). */
const UNITS = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1_000],
  ['ms', 1],
] as const;

const UNIT_MS: ReadonlyMap<string, number> = new Map(UNITS);
const PART = /(\d+(?:\.\d+)?|\.\d+)\s*(ms|d|h|m|s)/gy;
const EXAMPLES = 'use a number with a unit, e.g. 500ms, 2s, 10m, 1h or 1h30m';

/** The result of {@link parseDuration}. */
export type DurationResult =
  { readonly ok: true; readonly ms: number } | { readonly ok: false; readonly message: string };

/**
 * Parses a duration into whole milliseconds. A number is taken as milliseconds. Fails (with a
 * message that says how to fix it) on negative or non-finite values, a bare number in a string, an
 * unknown unit, units out of order (`30m1h`) or repeated, and text that is not a duration at all.
 * Zero is accepted here; callers that need a positive duration check it themselves.
 */
export function parseDuration(text: string | number): DurationResult {
  if (typeof text === 'number') {
    if (!Number.isFinite(text))
      return { ok: false, message: `invalid duration ${String(text)} (${EXAMPLES})` };
    if (text < 0) return { ok: false, message: `duration must not be negative (got ${text})` };
    if (!Number.isInteger(text)) {
      return { ok: false, message: `a duration in milliseconds must be a whole number (got ${text})` };
    }
    return { ok: true, ms: text };
  }
  const trimmed = text.trim();
  if (trimmed.startsWith('-')) return { ok: false, message: `duration must not be negative (got "${text}")` };
  if (/^\d+(\.\d+)?$/.test(trimmed)) {
    return {
      ok: false,
      message: `duration "${text}" has no unit (write ${trimmed}ms, ${trimmed}s or ${trimmed}m)`,
    };
  }
  let total = 0;
  let lastRank = -1;
  let index = 0;
  PART.lastIndex = 0;
  while (index < trimmed.length) {
    PART.lastIndex = index;
    const match = PART.exec(trimmed);
    if (match === null) return { ok: false, message: `invalid duration "${text}" (${EXAMPLES})` };
    const unit = match[2]!;
    const rank = UNITS.findIndex(([name]) => name === unit);
    if (rank <= lastRank) {
      return {
        ok: false,
        message: `invalid duration "${text}" (write units once, largest first, e.g. 1h30m)`,
      };
    }
    lastRank = rank;
    total += Number(match[1]) * UNIT_MS.get(unit)!;
    index = PART.lastIndex;
    while (trimmed[index] === ' ') index++;
  }
  if (trimmed.length === 0) return { ok: false, message: `invalid duration "" (${EXAMPLES})` };
  const ms = Math.round(total);
  if (!Number.isSafeInteger(ms)) return { ok: false, message: `duration "${text}" is too long` };
  return { ok: true, ms };
}

/**
 * Formats whole milliseconds the way {@link parseDuration} reads them, largest units first:
 * `1h30m`, `2s`, `1s500ms`, `0ms`. `parseDuration(formatDuration(ms))` gives `ms` back for any
 * non-negative safe integer. Fractions are rounded; negative values get a leading `-`.
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  let rest = Math.round(Math.abs(ms));
  if (rest === 0) return '0ms';
  let text = '';
  for (const [unit, size] of UNITS) {
    const count = Math.floor(rest / size);
    if (count > 0) {
      text += `${count}${unit}`;
      rest -= count * size;
    }
  }
  return ms < 0 ? `-${text}` : text;
}
