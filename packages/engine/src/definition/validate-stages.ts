/**
 * A workflow's `stages:` — labels a person reads for where a run stands — checked and normalised:
 *
 * ```yaml
 * stages:
 *   - { stage: spec_generating, phases: { spec: [ready, running] } }
 *   - { stage: spec_ready, phases: { spec: waiting_for_human } }
 *   - { stage: done, run: completed }
 * ```
 *
 * Each entry names a `stage` label and `phases` (phase id -> a status or a list) and/or `run` (a
 * run status or a list); a single status becomes a one-element list.
 */
import type { Problem } from '../errors.js';
import { PhaseStatus, RunStatus, type StageDefinition } from '../types.js';
import {
  checkKnownFields,
  describeValue,
  fieldPath,
  hintFor,
  indexPath,
  isRecord,
  listWords,
} from './field-checks.js';
import { MAX_ID_LENGTH } from './rules.js';
import { createSuggester, suggest } from './suggest.js';

/** Stage labels: lowercase letters, digits and `_`, starting with a letter. */
const STAGE_LABEL_PATTERN = /^[a-z][a-z0-9_]*$/;
/** Most entries one `stages:` list may have. */
const MAX_STAGES = 100;

const STAGE_FIELDS = ['stage', 'phases', 'run'] as const;
const PHASE_STATUSES: readonly string[] = Object.values(PhaseStatus);
const RUN_STATUSES: readonly string[] = Object.values(RunStatus);

/**
 * Checks `stages:` against the workflow's phase ids (`phaseIds`, in document order), reporting
 * every problem with its path: not a list, an entry that is no mapping or has unknown fields, a
 * missing, malformed or duplicate label, an entry with neither `phases` nor `run`, a phase the
 * workflow does not have (with a did-you-mean), a status that is no phase or run status. Returns
 * the normalised entries, or undefined when there were problems.
 */
export function checkStages(
  value: unknown,
  phaseIds: readonly string[],
  problems: Problem[],
): StageDefinition[] | undefined {
  const before = problems.length;
  if (!Array.isArray(value)) {
    problems.push({
      path: 'stages',
      message: `must be a list of stages such as { stage: spec_ready, phases: { spec: waiting_for_human } }, got ${describeValue(value)}`,
    });
    return undefined;
  }
  if (value.length > MAX_STAGES) {
    problems.push({ path: 'stages', message: `too many stages (${value.length}; at most ${MAX_STAGES})` });
    return undefined;
  }
  const known = new Set(phaseIds);
  const suggestPhase = createSuggester(phaseIds);
  const labels = new Map<string, number>();
  const stages: StageDefinition[] = [];
  value.forEach((raw: unknown, index) => {
    const path = indexPath('stages', index);
    if (!isRecord(raw)) {
      problems.push({
        path,
        message: `must be a mapping with stage and phases and/or run, got ${describeValue(raw)}`,
      });
      return;
    }
    checkKnownFields(raw, STAGE_FIELDS, path, problems);
    const stage = checkLabel(raw.stage, fieldPath(path, 'stage'), labels, index, problems);
    if (raw.phases === undefined && raw.run === undefined) {
      problems.push({
        path,
        message: 'says nowhere when it holds: give phases (phase id -> statuses) and/or run (run statuses)',
      });
    }
    const phases =
      raw.phases === undefined
        ? undefined
        : checkPhaseStatuses(raw.phases, fieldPath(path, 'phases'), { known, suggestPhase }, problems);
    const run =
      raw.run === undefined
        ? undefined
        : checkStatuses(raw.run, fieldPath(path, 'run'), RUN_STATUSES, 'run', problems);
    if (stage === undefined) return;
    stages.push({
      stage,
      ...(phases === undefined ? {} : { phases }),
      ...(run === undefined ? {} : { run: run as RunStatus[] }),
    });
  });
  return problems.length === before ? stages : undefined;
}

function checkLabel(
  value: unknown,
  path: string,
  labels: Map<string, number>,
  index: number,
  problems: Problem[],
): string | undefined {
  if (value === undefined) {
    problems.push({ path, message: 'missing required field (the label, such as "spec_ready")' });
    return undefined;
  }
  if (typeof value !== 'string' || !STAGE_LABEL_PATTERN.test(value) || value.length > MAX_ID_LENGTH) {
    problems.push({
      path,
      message: `invalid stage label ${typeof value === 'string' ? JSON.stringify(value) : describeValue(value)} (use at most ${MAX_ID_LENGTH} lowercase letters, digits and "_", starting with a letter)`,
    });
    return undefined;
  }
  const first = labels.get(value);
  if (first !== undefined) {
    problems.push({
      path,
      message: `duplicate stage "${value}" (also stages[${first}]); labels must be unique`,
    });
    return undefined;
  }
  labels.set(value, index);
  return value;
}

function checkPhaseStatuses(
  value: unknown,
  path: string,
  phases: { readonly known: ReadonlySet<string>; readonly suggestPhase: (id: string) => string | undefined },
  problems: Problem[],
): Record<string, PhaseStatus[]> | undefined {
  if (!isRecord(value) || Object.keys(value).length === 0) {
    problems.push({
      path,
      message: `must be a mapping of phase id to statuses, such as { spec: [ready, running] }, got ${describeValue(value)}`,
    });
    return undefined;
  }
  const checked: Record<string, PhaseStatus[]> = {};
  for (const [id, statuses] of Object.entries(value)) {
    const at = fieldPath(path, id);
    if (!phases.known.has(id)) {
      const match = phases.suggestPhase(id);
      problems.push({
        path: at,
        message: `unknown phase "${id}"${match === undefined ? '' : ` (did you mean "${match}"?)`}`,
        ...hintFor(match),
      });
      continue;
    }
    const list = checkStatuses(statuses, at, PHASE_STATUSES, 'phase', problems);
    if (list !== undefined) checked[id] = list as PhaseStatus[];
  }
  return checked;
}

/** A status or a non-empty list of them, each one of `allowed`; as a list without repeats. */
function checkStatuses(
  value: unknown,
  path: string,
  allowed: readonly string[],
  what: 'phase' | 'run',
  problems: Problem[],
): string[] | undefined {
  const list: unknown[] = Array.isArray(value) ? value : [value];
  if (list.length === 0) {
    problems.push({ path, message: `must name at least one ${what} status (${listWords(allowed)})` });
    return undefined;
  }
  const statuses: string[] = [];
  let bad = false;
  list.forEach((status, index) => {
    const at = Array.isArray(value) ? indexPath(path, index) : path;
    if (typeof status === 'string' && allowed.includes(status)) {
      if (!statuses.includes(status)) statuses.push(status);
      return;
    }
    bad = true;
    const match = typeof status === 'string' ? suggest(status, allowed) : undefined;
    problems.push({
      path: at,
      message: `not a ${what} status: ${describeValue(status)} (expected ${listWords(allowed)})`,
      ...hintFor(match),
    });
  });
  return bad ? undefined : statuses;
}
