import { applyPatch, diffUi, PRICING_CARD_EXAMPLE } from '@baton/ui-schema';
import { validateJson, type JsonValue } from '@baton/engine';
import { describe, expect, it } from 'vitest';
import { builtinSteps } from './index.js';
import { alignRubricResults, buildVariant, uiVariantStep, weightedScore } from './ui-variant.js';
import { baselineVersion } from './ui-steps.test-support.js';

const needs = ['baseline', 'variant-a', 'evaluate-a'];
const patch = { ops: [{ op: 'set', target: 'price', prop: 'text', value: '$20' }] };
const evaluation = {
  summary: 'ok',
  rubricResults: [
    { criterion: 'brand', score: 6, pass: false, reason: 'a new tone' },
    { criterion: 'clarity', score: 9, pass: true, reason: 'the price reads first' },
  ],
};

describe('the ui-variant step', () => {
  it('is registered under its name', () => {
    expect(builtinSteps['ui-variant']).toBe(uiVariantStep);
  });

  it('gives the PhaseOutput a person reviews: variantId, patched uiSchema, diff against V0, rubric results in rubric order', () => {
    const result = buildVariant(
      { baseline: baselineVersion() as unknown as JsonValue, 'variant-a': patch, 'evaluate-a': evaluation },
      needs,
    );
    const patched = applyPatch(PRICING_CARD_EXAMPLE, patch);
    if (!patched.ok) throw new Error('the test patch must apply');
    expect(result).toEqual({
      ok: true,
      output: {
        kind: 'ui-variant',
        variantId: 'variant-a',
        slot: 'price-row',
        parentVersionId: 'V0',
        patch,
        uiSchema: patched.document,
        diff: diffUi(PRICING_CARD_EXAMPLE, patched.document),
        rubricResults: [
          { criterion: 'clarity', weight: 3, score: 9, pass: true, reason: 'the price reads first' },
          { criterion: 'brand', weight: 1, score: 6, pass: false, reason: 'a new tone' },
        ],
        score: 8.25,
        passed: false,
        summary: 'variant-a changes slot "price-row" (1 changed); rubric score 8.25/10, not passing: brand.',
      },
    });
    expect(validateJson(uiVariantStep.output!, (result as { output: JsonValue }).output)).toEqual([]);
  });

  it('shows a criterion the evaluator left out as not evaluated, and leaves out one the rubric lacks', () => {
    const rubric = baselineVersion().rubric;
    const aligned = alignRubricResults(rubric, [
      { criterion: 'clarity', score: 12, pass: true, reason: 'r' },
      { criterion: 'delight', score: 5, pass: true, reason: 'r' },
    ]);
    expect(aligned).toEqual({
      results: [
        { criterion: 'clarity', weight: 3, score: 10, pass: true, reason: 'r' },
        {
          criterion: 'brand',
          weight: 1,
          score: 0,
          pass: false,
          reason: 'not evaluated: the evaluator gave no result for this criterion',
        },
      ],
      unknown: ['delight'],
    });
    expect(weightedScore(aligned.results)).toBe(7.5);
    expect(alignRubricResults(rubric, undefined).results.map((r) => r.reason)).toEqual([
      'not evaluated: the evaluation did not run',
      'not evaluated: the evaluation did not run',
    ]);
  });

  it('fails on a patch that does not apply (no reviewer checked it), saying which', () => {
    expect(
      buildVariant(
        {
          baseline: baselineVersion() as unknown as JsonValue,
          'variant-a': {
            ops: [
              { op: 'remove', target: 'price' },
              { op: 'remove', target: 'price' },
            ],
          },
        },
        needs,
      ),
    ).toMatchObject({ ok: false, code: 'INPUT_SCHEMA', message: expect.stringContaining('ops[1].target') });
  });
});
