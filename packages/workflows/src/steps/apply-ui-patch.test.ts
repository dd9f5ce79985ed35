import { applyPatch, diffUi, PRICING_CARD_EXAMPLE } from '@baton/ui-schema';
import { REVIEWER_OUTPUT_SCHEMA, validateJson, type JsonValue } from '@baton/engine';
import { describe, expect, it } from 'vitest';
import { applyUiPatchStep, reviewPatch } from './apply-ui-patch.js';
import { builtinSteps } from './index.js';
import { baselineVersion, stepContext } from './ui-steps.test-support.js';

const needs = ['baseline', 'variant-a'];
const review = (patch: JsonValue) =>
  reviewPatch({ baseline: baselineVersion() as unknown as JsonValue, 'variant-a': patch }, needs);

describe('the apply-ui-patch step', () => {
  it('is registered under its name and answers as a reviewer', async () => {
    expect(builtinSteps['apply-ui-patch']).toBe(applyUiPatchStep);
    const result = await applyUiPatchStep.run(
      { baseline: baselineVersion() as unknown as JsonValue, 'variant-a': { ops: [] } },
      stepContext(needs),
    );
    const output = (result as { output: JsonValue }).output;
    expect(validateJson(REVIEWER_OUTPUT_SCHEMA, output)).toEqual([]);
    expect(validateJson(applyUiPatchStep.output!, output)).toEqual([]);
  });

  it('approves a patch inside its slot, with the patched UI schema and its diff against V0', () => {
    const patch: JsonValue = {
      ops: [
        { op: 'set', target: 'price', prop: 'text', value: '$20' },
        { op: 'add', parent: 'price-row', node: { type: 'text', id: 'price-note', text: 'billed yearly' } },
        { op: 'set', target: 'price-note', prop: 'tone', value: 'muted' },
      ],
    };
    const expected = applyPatch(PRICING_CARD_EXAMPLE, patch);
    if (!expected.ok) throw new Error('the test patch must apply');
    expect(review(patch)).toEqual({
      verdict: 'approve',
      summary: 'The patch of variant-a applies to V0 within slot "price-row": 1 added, 1 changed.',
      findings: [],
      variantId: 'variant-a',
      slot: 'price-row',
      uiSchema: expected.document,
      diff: diffUi(PRICING_CARD_EXAMPLE, expected.document),
    });
  });

  it('asks to revise an invalid patch with one blocking finding per problem, at the op’s path', () => {
    expect(review({ ops: [{ op: 'set', target: 'price', prop: 'onclick', value: 'x' }] })).toMatchObject({
      verdict: 'revise',
      variantId: 'variant-a',
      findings: [{ severity: 'blocking', message: expect.stringMatching(/^ops\[0\]\.prop: /) }],
    });
    expect(review({ ops: [{ op: 'remove', target: 'no-such-node' }] })).toMatchObject({
      verdict: 'revise',
      findings: [{ message: expect.stringContaining('outside this variant\'s slot "price-row"') }],
    });
  });

  it('asks to revise ops outside the slot, naming each, while ops on nodes the patch adds are inside', () => {
    const result = review({
      ops: [
        { op: 'set', target: 'cta', prop: 'label', value: 'Buy' },
        {
          op: 'add',
          parent: 'price-row',
          node: { type: 'stack', id: 'extra', direction: 'row', gap: 'xs', align: 'start', children: [] },
        },
        { op: 'add', parent: 'extra', node: { type: 'text', text: 'inside' } },
        { op: 'remove', target: 'plan-name' },
      ],
    });
    expect(result).toMatchObject({
      verdict: 'revise',
      findings: [
        {
          message: expect.stringMatching(
            /^ops\[0\]\.target: "cta" is outside this variant's slot "price-row"/,
          ),
        },
        { message: expect.stringMatching(/^ops\[3\]\.target: "plan-name" is outside/) },
      ],
    });
    expect(result.findings).toHaveLength(2);
  });

  it('fails (a wiring mistake, not the agent’s) when the parent version or the patch is missing', () => {
    expect(reviewPatch({ 'variant-a': { ops: [] } }, needs)).toMatchObject({
      verdict: 'fail',
      summary: expect.stringContaining('exactly one parent version'),
    });
    expect(reviewPatch({ baseline: baselineVersion() as unknown as JsonValue }, needs)).toMatchObject({
      verdict: 'fail',
      summary: expect.stringContaining('exactly one patch'),
    });
  });
});
