/**
 * The `ui-variants` built-in as shipped: the context `--auto` submits is the bundled pricing card
 * and passes both its phase's schema and the baseline step; the fixtures answer every agent phase
 * with a patch that applies inside its slot and a rubric evaluation of every criterion, and the
 * two variants merge into V1; the graph has the shape the docs describe.
 */
import { PRICING_CARD_EXAMPLE } from '@baton/ui-schema';
import { REVIEWER_OUTPUT_SCHEMA, validateJson, type JsonValue } from '@baton/engine';
import { describe, expect, it } from 'vitest';
import { finalOutput, loadRawFixtures } from '../builtin-files.test-support.js';
import { loadBuiltin } from '../registry.js';
import { reviewPatch } from '../steps/apply-ui-patch.js';
import { builtinSteps } from '../steps/index.js';
import { mergeVariants } from '../steps/merge-ui-variants.js';
import { checkContext } from '../steps/ui-baseline.js';
import { buildVariant } from '../steps/ui-variant.js';

const { workflow } = await loadBuiltin('ui-variants', { builtinSteps });
const fixtures = loadRawFixtures('ui-variants');
const phase = (id: string) => {
  const found = workflow.phases.find((candidate) => candidate.id === id);
  if (found === undefined) throw new Error(`no phase ${id}`);
  return found;
};
const contextSchema = phase('context').output!;
const defaultContext = (contextSchema as { default: JsonValue }).default;
const answer = (id: string) => finalOutput(fixtures[id]!);

describe('the ui-variants workflow', () => {
  it('submits the bundled pricing card under --auto: its context default fits the phase and passes the baseline step', () => {
    expect((defaultContext as { baseline: unknown }).baseline).toEqual(PRICING_CARD_EXAMPLE);
    expect(validateJson(contextSchema, defaultContext)).toEqual([]);
    expect(checkContext(defaultContext)).toMatchObject({
      ok: true,
      version: {
        versionId: 'V0',
        variants: { 'variant-a': { slot: 'price-row' }, 'variant-b': { slot: 'cta' } },
      },
    });
  });

  it('refuses at submission a context its schema can tell is wrong', () => {
    const { goals: _goals, ...noGoals } = defaultContext as Record<string, JsonValue>;
    expect(validateJson(contextSchema, noGoals)).toContainEqual({ path: 'goals', message: 'is required' });
  });

  it('has the shape of the docs: a person’s context, two variants each checked, evaluated and reviewed at a gate that skips on reject, one merge', () => {
    expect(workflow.phases.map((p) => [p.id, p.kind, p.needs])).toEqual([
      ['context', 'human', []],
      ['baseline', 'builtin', ['context']],
      ['variant-a', 'agent', ['baseline']],
      ['check-a', 'builtin', ['baseline', 'variant-a']],
      ['evaluate-a', 'agent', ['baseline', 'check-a']],
      ['review-a', 'builtin', ['baseline', 'variant-a', 'evaluate-a']],
      ['variant-b', 'agent', ['baseline']],
      ['check-b', 'builtin', ['baseline', 'variant-b']],
      ['evaluate-b', 'agent', ['baseline', 'check-b']],
      ['review-b', 'builtin', ['baseline', 'variant-b', 'evaluate-b']],
      ['merge', 'builtin', ['baseline', 'review-a', 'review-b']],
    ]);
    for (const id of ['review-a', 'review-b'])
      expect(phase(id)).toMatchObject({ gate: true, onReject: 'skip', run: 'ui-variant' });
    for (const [check, variant] of [
      ['check-a', 'variant-a'],
      ['check-b', 'variant-b'],
    ] as const)
      expect(phase(check)).toMatchObject({
        run: 'apply-ui-patch',
        reviews: variant,
        review: { rounds: 2, onRoundsExhausted: 'fail' },
      });
  });

  it('answers offline with patches that pass their check, evaluations of every criterion, and variants that merge into V1', () => {
    expect(Object.keys(fixtures).sort()).toEqual(['evaluate-a', 'evaluate-b', 'variant-a', 'variant-b']);
    const checked = checkContext(defaultContext);
    if (!checked.ok) throw new Error('the default context must be valid');
    const v0 = { ...checked.version, summary: 'V0' } as unknown as JsonValue;
    const reviews: Record<string, JsonValue> = {};
    for (const key of ['a', 'b']) {
      const check = reviewPatch({ baseline: v0, [`variant-${key}`]: answer(`variant-${key}`) }, [
        'baseline',
        `variant-${key}`,
      ]);
      expect(check, key).toMatchObject({ verdict: 'approve', findings: [] });
      expect(validateJson(REVIEWER_OUTPUT_SCHEMA, check)).toEqual([]);
      const evaluation = answer(`evaluate-${key}`) as { rubricResults: { criterion: string }[] };
      expect(evaluation.rubricResults.map((result) => result.criterion)).toEqual(
        checked.version.rubric.map((criterion) => criterion.id),
      );
      const built = buildVariant(
        { baseline: v0, [`variant-${key}`]: answer(`variant-${key}`), [`evaluate-${key}`]: evaluation },
        ['baseline', `variant-${key}`, `evaluate-${key}`],
      );
      expect(built, key).toMatchObject({ ok: true, output: { passed: true } });
      reviews[`review-${key}`] = (built as { output: JsonValue }).output;
    }
    expect(mergeVariants({ baseline: v0, ...reviews }, ['baseline', 'review-a', 'review-b'])).toMatchObject({
      ok: true,
      output: {
        versionId: 'V1',
        parentVersionId: 'V0',
        approved: [{ variantId: 'variant-a' }, { variantId: 'variant-b' }],
      },
    });
  });
});
