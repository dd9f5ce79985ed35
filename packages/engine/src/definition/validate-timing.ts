/**
 * Timing of a phase: its retry policy and its attempt timeout.
 */
import type { Problem } from '../errors.js';
import type { PhaseKind, RetryPolicy } from '../types.js';
import { formatDuration } from './duration.js';
import {
  checkDuration,
  checkKnownFields,
  checkWholeNumber,
  describeValue,
  fieldPath,
  isRecord,
} from './field-checks.js';
import { DEFAULT_RETRY, DEFAULT_TIMEOUT_MS, MAX_ATTEMPTS_LIMIT, MAX_RECOVERIES_LIMIT } from './rules.js';

/** `backoffMs` and `maxBackoffMs` are the normalised spellings, accepted so definitions round-trip. */
const RETRY_FIELDS = [
  'maxAttempts',
  'backoff',
  'maxBackoff',
  'backoffMs',
  'maxBackoffMs',
  'maxRecoveries',
] as const;

/**
 * Checks a phase's `retry` mapping and fills in what it leaves out. `maxAttempts` is a whole
 * number from 1 to 100; `backoff`/`maxBackoff` are durations (or `backoffMs`/`maxBackoffMs`, the
 * normalised spellings); `maxBackoff` must not be shorter than `backoff`; `maxRecoveries` (attempts
 * a crash may cost before the phase fails as stuck) is a whole number from 0 to 100.
 */
export function checkRetry(value: unknown, path: string, problems: Problem[]): RetryPolicy {
  if (!isRecord(value)) {
    problems.push({
      path,
      message: `must be a mapping such as { maxAttempts: 3, backoff: 2s, maxBackoff: 5m }, got ${describeValue(value)}`,
    });
    return DEFAULT_RETRY;
  }
  checkKnownFields(value, RETRY_FIELDS, path, problems);
  const maxAttempts = checkWholeNumber(
    value.maxAttempts,
    fieldPath(path, 'maxAttempts'),
    {
      min: 1,
      max: MAX_ATTEMPTS_LIMIT,
      why: 'it counts the first attempt',
      fallback: DEFAULT_RETRY.maxAttempts,
    },
    problems,
  );
  const maxRecoveries = checkWholeNumber(
    value.maxRecoveries,
    fieldPath(path, 'maxRecoveries'),
    {
      min: 0,
      max: MAX_RECOVERIES_LIMIT,
      why: 'attempts a crash may cost before the phase fails as stuck',
      fallback: DEFAULT_RETRY.maxRecoveries,
    },
    problems,
  );
  const backoffMs = durationField(value, path, 'backoff', 'backoffMs', DEFAULT_RETRY.backoffMs, problems);
  const maxBackoffMs = durationField(
    value,
    path,
    'maxBackoff',
    'maxBackoffMs',
    DEFAULT_RETRY.maxBackoffMs,
    problems,
  );
  if (backoffMs !== undefined && maxBackoffMs !== undefined && maxBackoffMs < backoffMs) {
    const field =
      value.maxBackoff !== undefined
        ? 'maxBackoff'
        : value.maxBackoffMs !== undefined
          ? 'maxBackoffMs'
          : 'backoff';
    problems.push({
      path: fieldPath(path, field),
      message: `maxBackoff (${formatDuration(maxBackoffMs)}) must not be shorter than backoff (${formatDuration(backoffMs)})`,
    });
  }
  return {
    maxAttempts,
    backoffMs: backoffMs ?? DEFAULT_RETRY.backoffMs,
    maxBackoffMs: maxBackoffMs ?? DEFAULT_RETRY.maxBackoffMs,
    maxRecoveries,
  };
}

/** A duration written either as `name` (any duration) or `nameMs` (milliseconds), not both. */
function durationField(
  value: Record<string, unknown>,
  path: string,
  name: string,
  msName: string,
  fallback: number,
  problems: Problem[],
): number | undefined {
  if (value[name] !== undefined && value[msName] !== undefined) {
    problems.push({ path: fieldPath(path, msName), message: `set either ${name} or ${msName}, not both` });
    return undefined;
  }
  const given = value[name] !== undefined ? name : value[msName] !== undefined ? msName : undefined;
  if (given === undefined) return fallback;
  if (given === msName && typeof value[msName] !== 'number') {
    problems.push({
      path: fieldPath(path, msName),
      message: `must be a number of milliseconds, got ${describeValue(value[msName])}`,
    });
    return undefined;
  }
  return checkDuration(value[given], fieldPath(path, given), problems);
}

/**
 * The attempt timeout of a phase in milliseconds: `timeout` (a positive duration), or `timeoutMs`
 * (the normalised spelling; `null` means no limit), or the kind's default.
 */
export function checkTimeout(
  raw: Record<string, unknown>,
  kind: PhaseKind | undefined,
  path: string,
  problems: Problem[],
): number | null {
  const fallback = DEFAULT_TIMEOUT_MS[kind ?? 'tool'];
  if (raw.timeout !== undefined && raw.timeoutMs !== undefined) {
    problems.push({
      path: fieldPath(path, 'timeoutMs'),
      message: 'set either timeout or timeoutMs, not both',
    });
    return fallback;
  }
  if (raw.timeoutMs !== undefined) {
    // The normalised spelling: milliseconds, or null for no limit.
    if (raw.timeoutMs === null) return null;
    if (typeof raw.timeoutMs !== 'number') {
      problems.push({
        path: fieldPath(path, 'timeoutMs'),
        message: `must be a number of milliseconds or null, got ${describeValue(raw.timeoutMs)}`,
      });
      return fallback;
    }
    return (
      checkDuration(raw.timeoutMs, fieldPath(path, 'timeoutMs'), problems, { positive: true }) ?? fallback
    );
  }
  if (raw.timeout === undefined) return fallback;
  return checkDuration(raw.timeout, fieldPath(path, 'timeout'), problems, { positive: true }) ?? fallback;
}
