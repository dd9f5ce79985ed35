/**
 * The `verdict` step (`kind: builtin, run: verdict`): the last word on a set of reviews. Every
 * needed phase is a review whose output says `verdict: PASS | FAIL` with a `summary`, and may list
 * a `checklist` (items `pass | fail | not_applicable`) and `findings` (with a `severity`). The
 * step passes only when every review passes; otherwise the attempt fails with
 * {@link VERDICT_FAILED} and a message naming each review that did not pass, its summary, its
 * failing checklist items and its blocking findings.
 *
 * A review passes when it says `PASS` **and** agrees with itself: no checklist item `fail`, no
 * finding of a blocking severity (`critical`, `high`, or `blocking`). The reviewers' prompts give
 * the same rule, so a `PASS` that breaks it is a reviewer's slip, and the step does not let a
 * one-word verdict outvote the evidence the same review lists.
 */
import type { JsonSchema } from '@baton/engine';
import type { BuiltinInputs, BuiltinResult, BuiltinStep } from '@baton/engine';

/** The failure code of a verdict that is not a pass (not retryable: the reviews would not change). */
export const VERDICT_FAILED = 'VERDICT_FAILED' as const;

/** Finding severities that block a pass. */
const BLOCKING_SEVERITIES: ReadonlySet<string> = new Set(['critical', 'high', 'blocking']);

interface ChecklistItem {
  readonly id: string;
  readonly control?: string;
  readonly status: 'pass' | 'fail' | 'not_applicable';
  readonly evidence?: string;
}

interface Finding {
  readonly severity: string;
  readonly message: string;
  readonly file?: string;
  readonly control?: string;
}

interface Review {
  readonly verdict: 'PASS' | 'FAIL';
  readonly summary: string;
  readonly checklist?: readonly ChecklistItem[];
  readonly findings?: readonly Finding[];
}

const REVIEW_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['verdict', 'summary'],
  properties: {
    verdict: { enum: ['PASS', 'FAIL'] },
    summary: { type: 'string' },
    checklist: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'status'],
        properties: {
          id: { type: 'string' },
          control: { type: 'string' },
          status: { enum: ['pass', 'fail', 'not_applicable'] },
          evidence: { type: 'string' },
        },
      },
    },
    findings: {
      type: 'array',
      items: {
        type: 'object',
        required: ['severity', 'message'],
        properties: {
          severity: { type: 'string' },
          message: { type: 'string' },
          file: { type: 'string' },
          control: { type: 'string' },
        },
      },
    },
  },
};

/** What one review amounts to. */
interface Judgement {
  readonly phase: string;
  readonly review: Review;
  readonly failedItems: readonly ChecklistItem[];
  readonly blocking: readonly Finding[];
  readonly passed: boolean;
}

function judge(phase: string, review: Review): Judgement {
  const failedItems = (review.checklist ?? []).filter((item) => item.status === 'fail');
  const blocking = (review.findings ?? []).filter((finding) => BLOCKING_SEVERITIES.has(finding.severity));
  const passed = review.verdict === 'PASS' && failedItems.length === 0 && blocking.length === 0;
  return { phase, review, failedItems, blocking, passed };
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** The lines that explain one review that did not pass. */
function explain(judgement: Judgement): string[] {
  const { phase, review, failedItems, blocking } = judgement;
  const lines =
    review.verdict === 'FAIL'
      ? [`${phase}: FAIL. ${review.summary}`]
      : [
          `${phase}: says PASS, but lists ${[
            failedItems.length > 0 ? `${plural(failedItems.length, 'failing checklist item')}` : '',
            blocking.length > 0 ? `${plural(blocking.length, 'blocking finding')}` : '',
          ]
            .filter((part) => part !== '')
            .join(' and ')}, so it does not pass. ${review.summary}`,
        ];
  if (failedItems.length > 0) {
    lines.push('  Failing checklist items:');
    for (const item of failedItems) {
      const control = item.control === undefined ? '' : ` ${item.control}`;
      const evidence = item.evidence === undefined ? '' : `: ${item.evidence}`;
      lines.push(`  - ${item.id}${control}${evidence}`);
    }
  }
  if (blocking.length > 0) {
    lines.push('  Blocking findings:');
    for (const finding of blocking) {
      const where = [finding.file, finding.control].filter((part) => part !== undefined && part !== '');
      lines.push(
        `  - [${finding.severity}]${where.length > 0 ? ` ${where.join(' ')}:` : ''} ${finding.message}`,
      );
    }
  }
  return lines;
}

/**
 * Decides the verdict on `inputs` (each a review, keyed by its phase id; the runtime has checked
 * them against the step's `input` schema). Pure: the same reviews give the same result.
 */
export function decideVerdict(inputs: BuiltinInputs, needs: readonly string[] = []): BuiltinResult {
  const judgements = Object.entries(inputs).map(([phase, value]) => judge(phase, value as unknown as Review));
  const failed = judgements.filter((judgement) => !judgement.passed);
  // A review that did not run (skipped) is no pass: every review must have passed.
  const missing = needs.filter((phase) => !Object.hasOwn(inputs, phase));
  const names = judgements.map((judgement) => judgement.phase).join(', ');
  if (missing.length > 0 || judgements.length === 0) {
    const lines = [
      missing.length > 0
        ? `The verdict is FAIL: ${missing.join(' and ')} did not run (skipped); the verdict passes only when every review ran and passed.`
        : 'The verdict is FAIL: no review ran; the verdict passes only when every review ran and passed.',
    ];
    for (const judgement of failed) lines.push(...explain(judgement));
    for (const judgement of judgements) {
      if (judgement.passed) lines.push(`${judgement.phase}: PASS. ${judgement.review.summary}`);
    }
    lines.push('Retry the run to start again from its last checkpoint, or rewind to the skipped review.');
    return { ok: false, code: VERDICT_FAILED, message: lines.join('\n'), retryable: false };
  }
  if (failed.length === 0) {
    return {
      ok: true,
      output: {
        verdict: 'PASS',
        summary: `Every review passes (${names}).`,
        reviews: judgements.map(({ phase, review }) => ({
          phase,
          verdict: review.verdict,
          summary: review.summary,
          findings: (review.findings ?? []).length,
        })),
      },
    };
  }
  const lines = [
    `The verdict is FAIL: ${failed.map((judgement) => judgement.phase).join(' and ')} did not pass.`,
  ];
  for (const judgement of failed) lines.push(...explain(judgement));
  for (const judgement of judgements) {
    if (judgement.passed) lines.push(`${judgement.phase}: PASS. ${judgement.review.summary}`);
  }
  lines.push('Retry the run to start again from its last checkpoint once the cause is fixed.');
  return { ok: false, code: VERDICT_FAILED, message: lines.join('\n'), retryable: false };
}

/** The `verdict` step: passes only when every review it needs passes. */
export const verdictStep: BuiltinStep = {
  name: 'verdict',
  description:
    'Passes only when every review it needs says PASS with no failing checklist item and no critical or high finding; otherwise fails the run with an explanation.',
  input: { type: 'object', additionalProperties: REVIEW_SCHEMA },
  output: {
    type: 'object',
    required: ['verdict', 'summary', 'reviews'],
    properties: {
      verdict: { const: 'PASS' },
      summary: { type: 'string' },
      reviews: {
        type: 'array',
        items: {
          type: 'object',
          required: ['phase', 'verdict', 'summary', 'findings'],
          properties: {
            phase: { type: 'string' },
            verdict: { const: 'PASS' },
            summary: { type: 'string' },
            findings: { type: 'integer', minimum: 0 },
          },
        },
      },
    },
  },
  run: (inputs, context) => decideVerdict(inputs, context.needs),
};
