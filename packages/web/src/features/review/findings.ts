/**
 * A review as a person reads it: the verdict (APPROVE / REVISE, PASS / FAIL), its findings grouped
 * blocking → suggestion → nit, and a rubric or checklist as items with a status. Reviewers write
 * these in their own words (`severity: critical | high | medium | low` for the code reviewers,
 * `blocking | suggestion | nit` for the alignment reviewer); this maps both onto the three levels.
 */

/** How much a finding matters: `blocking` must be fixed before approving. */
export type FindingLevel = 'blocking' | 'suggestion' | 'nit';

const FINDING_LEVELS: readonly FindingLevel[] = ['blocking', 'suggestion', 'nit'];

export interface Finding {
  readonly level: FindingLevel;
  readonly message: string;
  /** Where: a file (and line), or the control it concerns. */
  readonly where?: string;
  /** The reviewer's own word for its severity, when it differs from the level. */
  readonly severity?: string;
}

export interface FindingGroup {
  readonly level: FindingLevel;
  readonly findings: readonly Finding[];
}

export type ChecklistStatus = 'pass' | 'fail' | 'not_applicable' | 'unknown';

export interface ChecklistItem {
  readonly id?: string;
  readonly label: string;
  readonly status: ChecklistStatus;
  readonly evidence?: string;
}

/** A reviewer's verdict, upper-case (`APPROVE`, `REVISE`, `PASS`, `FAIL`), and its summary. */
export interface Verdict {
  readonly verdict: string;
  /** True for a verdict that lets the work through (`APPROVE`, `PASS`). */
  readonly positive: boolean;
  readonly summary?: string;
}

const LEVEL_OF: Readonly<Record<string, FindingLevel>> = {
  blocking: 'blocking',
  blocker: 'blocking',
  critical: 'blocking',
  high: 'blocking',
  error: 'blocking',
  suggestion: 'suggestion',
  medium: 'suggestion',
  warning: 'suggestion',
  major: 'suggestion',
  nit: 'nit',
  low: 'nit',
  minor: 'nit',
  info: 'nit',
};

const POSITIVE = new Set(['APPROVE', 'APPROVED', 'PASS', 'PASSED', 'ACCEPT']);

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/** The findings of a review's output (`{findings: [...]}`) or of a findings array itself. */
export function findingsOf(output: unknown): Finding[] {
  const list = Array.isArray(output) ? output : isRecord(output) ? output.findings : undefined;
  if (!Array.isArray(list)) return [];
  return list.flatMap((entry): Finding[] => {
    if (typeof entry === 'string') return [{ level: 'suggestion', message: entry }];
    if (!isRecord(entry)) return [];
    const message = text(entry.message) ?? text(entry.text) ?? text(entry.description);
    if (message === undefined) return [];
    const severity = text(entry.severity)?.toLowerCase();
    const level = severity === undefined ? 'suggestion' : (LEVEL_OF[severity] ?? 'suggestion');
    const file = text(entry.file);
    const line = typeof entry.line === 'number' ? entry.line : undefined;
    const where = file === undefined ? text(entry.control) : line === undefined ? file : `${file}:${line}`;
    return [
      {
        level,
        message,
        ...(where === undefined ? {} : { where }),
        ...(severity === undefined || severity === level ? {} : { severity }),
      },
    ];
  });
}

/** Findings grouped by level, blocking first; a level without findings is left out. */
export function groupFindings(findings: readonly Finding[]): FindingGroup[] {
  return FINDING_LEVELS.flatMap((level) => {
    const inLevel = findings.filter((finding) => finding.level === level);
    return inLevel.length === 0 ? [] : [{ level, findings: inLevel }];
  });
}

const STATUS_OF: Readonly<Record<string, ChecklistStatus>> = {
  pass: 'pass',
  passed: 'pass',
  met: 'pass',
  yes: 'pass',
  true: 'pass',
  fail: 'fail',
  failed: 'fail',
  unmet: 'fail',
  no: 'fail',
  false: 'fail',
  not_applicable: 'not_applicable',
  'n/a': 'not_applicable',
  na: 'not_applicable',
};

/** A rubric or checklist (`checklist`, `rubric` or `criteria` of a review's output) as items. */
export function checklistOf(output: unknown): ChecklistItem[] {
  if (!isRecord(output)) return [];
  const list = [output.checklist, output.rubric, output.criteria].find(Array.isArray) as
    unknown[] | undefined;
  if (list === undefined) return [];
  return list.flatMap((entry): ChecklistItem[] => {
    if (!isRecord(entry)) return [];
    const label = text(entry.control) ?? text(entry.criterion) ?? text(entry.label) ?? text(entry.text);
    if (label === undefined) return [];
    const raw = entry.status ?? entry.result ?? entry.passed ?? entry.met;
    const status = STATUS_OF[String(raw).toLowerCase()] ?? 'unknown';
    const id = text(entry.id);
    const evidence = text(entry.evidence) ?? text(entry.notes) ?? text(entry.reason);
    return [
      {
        label,
        status,
        ...(id === undefined ? {} : { id }),
        ...(evidence === undefined ? {} : { evidence }),
      },
    ];
  });
}

/** The verdict of a review's output (`{verdict, summary}`), or undefined when it has none. */
export function verdictOf(output: unknown): Verdict | undefined {
  if (!isRecord(output)) return undefined;
  const verdict = text(output.verdict)?.toUpperCase();
  if (verdict === undefined) return undefined;
  const summary = text(output.summary);
  return { verdict, positive: POSITIVE.has(verdict), ...(summary === undefined ? {} : { summary }) };
}
