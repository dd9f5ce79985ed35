/**
 * The workflow-level `title:` — which phase's output names the run.
 */
import type { Problem } from '../errors.js';
import type { TitleSpec } from '../types.js';
import { checkKnownFields, describeValue, fieldPath, hintFor, isRecord } from './field-checks.js';
import { suggest } from './suggest.js';

const TITLE_FIELDS = ['from', 'field'] as const;

/**
 * Checks `title: { from, field? }`: `from` names a phase of the workflow (`phaseIds`, its
 * top-level phases), `field` is a non-empty name of a field of that phase's JSON output. Returns
 * the spec when it is usable.
 */
export function checkTitleSpec(
  value: unknown,
  phaseIds: readonly string[],
  problems: Problem[],
): TitleSpec | undefined {
  const path = 'title';
  if (!isRecord(value)) {
    problems.push({
      path,
      message: `must be a mapping such as { from: title, field: title } (the phase whose output names the run), got ${describeValue(value)}`,
    });
    return undefined;
  }
  checkKnownFields(value, TITLE_FIELDS, path, problems);
  const from = value.from;
  let ok = true;
  if (from === undefined) {
    problems.push({
      path: fieldPath(path, 'from'),
      message: 'missing required field (the id of the phase whose output names the run)',
    });
    ok = false;
  } else if (typeof from !== 'string') {
    problems.push({
      path: fieldPath(path, 'from'),
      message: `must be a phase id, got ${describeValue(from)}`,
    });
    ok = false;
  } else if (!phaseIds.includes(from)) {
    const match = suggest(from, phaseIds);
    problems.push({
      path: fieldPath(path, 'from'),
      message: `unknown phase "${from}"${match === undefined ? '' : ` (did you mean "${match}"?)`}`,
      ...hintFor(match),
    });
    ok = false;
  }
  const field = value.field;
  if (field !== undefined && (typeof field !== 'string' || field.trim() === '')) {
    problems.push({
      path: fieldPath(path, 'field'),
      message: `must be the name of a field of the phase's JSON output (such as "title"), got ${describeValue(field)}`,
    });
    ok = false;
  }
  if (!ok || typeof from !== 'string') return undefined;
  return typeof field === 'string' ? { from, field } : { from };
}
