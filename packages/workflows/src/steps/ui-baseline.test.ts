import { PRICING_CARD_EXAMPLE } from '@baton/ui-schema';
import { validateJson, type JsonValue } from '@baton/engine';
import { describe, expect, it } from 'vitest';
import { builtinSteps } from './index.js';
import { checkContext, uiBaselineStep } from './ui-baseline.js';
import { stepContext, validContext } from './ui-steps.test-support.js';

const run = (inputs: Record<string, JsonValue>) => uiBaselineStep.run(inputs, stepContext(['context']));

describe('the ui-baseline step', () => {
  it('is registered under its name', () => {
    expect(builtinSteps['ui-baseline']).toBe(uiBaselineStep);
  });

  it('approves a valid context, its output ParentVersion V0 with no parent, its tokens and the person’s rubric', async () => {
    const result = await run({ context: validContext() });
    expect(result).toMatchObject({
      ok: true,
      output: {
        verdict: 'approve',
        findings: [],
        kind: 'ui-parent-version',
        versionId: 'V0',
        parentVersionId: null,
        uiSchema: PRICING_CARD_EXAMPLE,
        tokens: PRICING_CARD_EXAMPLE.tokens,
        goals: ['More trials', 'A clear team price'],
        rubric: [
          { id: 'clarity', weight: 3 },
          { id: 'brand', weight: 1 },
        ],
        constraints: ['Keep every link'],
        variants: { 'variant-a': { slot: 'price-row' }, 'variant-b': { slot: 'cta' } },
        summary: expect.stringContaining('variant-a on "price-row"'),
      },
    });
    expect(validateJson(uiBaselineStep.output!, (result as { output: JsonValue }).output)).toEqual([]);
  });

  it('takes a context without constraints as none', () => {
    const { constraints: _constraints, ...context } = validContext();
    expect(checkContext(context)).toMatchObject({ ok: true, version: { constraints: [] } });
  });

  it('sends a context back with one blocking finding per problem, at its path: unsafe UI, a duplicate criterion, a bad weight, an unknown slot', async () => {
    const context = validContext();
    const baseline = structuredClone(PRICING_CARD_EXAMPLE) as unknown as { root: { children: JsonValue[] } };
    baseline.root.children[4] = {
      type: 'button',
      id: 'cta',
      label: 'Go',
      variant: 'primary',
      href: 'javascript:alert(1)',
    };
    const bad = {
      ...context,
      baseline: baseline as unknown as JsonValue,
      rubric: [
        { id: 'clarity', criterion: 'A', weight: 1 },
        { id: 'clarity', criterion: 'B', weight: 0 },
      ],
    };
    const result = await run({ context: bad });
    expect(result).toMatchObject({ ok: true, output: { verdict: 'revise' } });
    const output = (result as unknown as { output: { findings: { severity: string; message: string }[] } })
      .output;
    expect(validateJson(uiBaselineStep.output!, output as unknown as JsonValue)).toEqual([]);
    expect(output.findings.every((finding) => finding.severity === 'blocking')).toBe(true);
    const messages = output.findings.map((finding) => finding.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^baseline\.root\.children\[4\]\.href: /),
        'rubric[1].id: "clarity" is used by another criterion',
        'rubric[1].weight: must be a number above 0',
      ]),
    );
    expect(output).not.toHaveProperty('kind');

    // A slot is checked even when the UI has problems: the person sees every one in one round.
    const both = await run({
      context: { ...bad, variants: { 'variant-a': { slot: 'price-box', brief: 'x' } } },
    });
    expect(
      (both as unknown as { output: { findings: { message: string }[] } }).output.findings.map(
        (finding) => finding.message.split(':')[0],
      ),
    ).toEqual([
      'baseline.root.children[4].href',
      'rubric[1].id',
      'rubric[1].weight',
      'variants.variant-a.slot',
    ]);

    const slot = await run({
      context: { ...context, variants: { 'variant-a': { slot: 'price-box', brief: 'x' } } },
    });
    expect(slot).toMatchObject({
      ok: true,
      output: {
        verdict: 'revise',
        findings: [
          {
            severity: 'blocking',
            message: expect.stringContaining(
              'variants.variant-a.slot: no node of the baseline has the id "price-box"',
            ),
          },
        ],
      },
    });
  });

  it('fails the review (a wiring mistake no submission fixes) without exactly one context among its inputs', async () => {
    expect(await run({})).toMatchObject({
      ok: true,
      output: { verdict: 'fail', findings: [{ message: expect.stringContaining('found 0') }] },
    });
  });
});
