import { applyPatch, diffUi, PRICING_CARD_EXAMPLE, validateDocument } from '@baton/ui-schema';
import { validateJson, type JsonValue } from '@baton/engine';
import { describe, expect, it } from 'vitest';
import { builtinSteps } from './index.js';
import { mergeUiVariantsStep, mergeVariants } from './merge-ui-variants.js';
import { checkContext } from './ui-baseline.js';
import { buildVariant } from './ui-variant.js';
import { baselineVersion, validContext } from './ui-steps.test-support.js';

const needs = ['baseline', 'review-a', 'review-b'];
const v0 = baselineVersion() as unknown as JsonValue;

/** The ui-variant output of `variantId` with `ops`. */
function variant(variantId: string, ops: JsonValue[], parent: JsonValue = v0): JsonValue {
  const result = buildVariant({ baseline: parent, [variantId]: { ops } }, ['baseline', variantId]);
  if (!result.ok) throw new Error(result.message);
  return result.output;
}

const priceOps: JsonValue[] = [
  { op: 'set', target: 'price', prop: 'text', value: '$20' },
  { op: 'add', parent: 'price-row', index: 0, node: { type: 'text', id: 'from', text: 'from' } },
];
const ctaOps: JsonValue[] = [{ op: 'set', target: 'cta', prop: 'label', value: 'Try it free' }];

describe('the merge-ui-variants step', () => {
  it('is registered under its name', () => {
    expect(builtinSteps['merge-ui-variants']).toBe(mergeUiVariantsStep);
  });

  it('merges both approved variants in the order of its needs into V1, linked to V0, with V0’s tokens and constraints', () => {
    const result = mergeVariants(
      { baseline: v0, 'review-a': variant('variant-a', priceOps), 'review-b': variant('variant-b', ctaOps) },
      needs,
    );
    const both = applyPatch(PRICING_CARD_EXAMPLE, { ops: [...priceOps, ...ctaOps] });
    if (!both.ok) throw new Error('the test patches must apply');
    expect(result).toMatchObject({
      ok: true,
      output: {
        kind: 'ui-parent-version',
        versionId: 'V1',
        parentVersionId: 'V0',
        uiSchema: both.document,
        tokens: PRICING_CARD_EXAMPLE.tokens,
        constraints: ['Keep every link'],
        approved: [
          { variantId: 'variant-a', slot: 'price-row', patch: { ops: priceOps } },
          { variantId: 'variant-b', slot: 'cta', patch: { ops: ctaOps } },
        ],
        excluded: [],
        diff: diffUi(PRICING_CARD_EXAMPLE, both.document),
      },
    });
    const output = (result as unknown as { output: { uiSchema: unknown } }).output;
    expect(validateJson(mergeUiVariantsStep.output!, output)).toEqual([]);
    expect(validateDocument(output.uiSchema).ok).toBe(true);
  });

  it('merges only the approved variant when the other was rejected (skipped), naming it as excluded', () => {
    const result = mergeVariants({ baseline: v0, 'review-a': variant('variant-a', priceOps) }, needs);
    const one = applyPatch(PRICING_CARD_EXAMPLE, { ops: priceOps });
    if (!one.ok) throw new Error('the test patch must apply');
    expect(result).toMatchObject({
      ok: true,
      output: {
        versionId: 'V1',
        parentVersionId: 'V0',
        uiSchema: one.document,
        approved: [{ variantId: 'variant-a' }],
        excluded: ['variant-b'],
        summary: expect.stringContaining('excluded variant-b'),
      },
    });
  });

  it('fails saying there is no approved variant when every one was rejected', () => {
    expect(mergeVariants({ baseline: v0 }, needs)).toEqual({
      ok: false,
      code: 'NO_APPROVED_VARIANT',
      message:
        'no approved variant to merge into V1: review-a and review-b were rejected or skipped. To try again, run a variant again (`baton rewind RUN variant-a`) and approve it at its review.',
      retryable: false,
    });
  });

  it('fails naming both ops when two approved variants change the same node, whatever the order of the inputs', () => {
    // The person gave both variants the price row.
    const context = validContext();
    const shared = checkContext({
      ...context,
      variants: {
        'variant-a': { slot: 'price-row', brief: 'a' },
        'variant-b': { slot: 'price-row', brief: 'b' },
      },
    });
    if (!shared.ok) throw new Error('the test context must be valid');
    const parent = shared.version as unknown as JsonValue;
    const removePrice = variant('variant-b', [{ op: 'remove', target: 'price' }], parent);
    const inputs = {
      'review-b': removePrice,
      baseline: parent,
      'review-a': variant('variant-a', priceOps, parent),
    };
    const result = mergeVariants(inputs, needs);
    expect(result).toMatchObject({ ok: false, code: 'UI_MERGE_CONFLICT', retryable: false });
    expect((result as { message: string }).message).toContain(
      'variant-a ops[0] (set "text" of "price") and variant-b ops[0] (remove "price") both change "price"',
    );
  });
});
