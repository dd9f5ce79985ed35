import type { JsonValue, WorkflowDefinition } from '@baton/engine';
import { builtinSteps, loadBuiltin } from '@baton/workflows';
import { describe, expect, it } from 'vitest';
import { reviewSubmission } from './submission-review.js';

async function uiVariants(): Promise<{
  workflow: WorkflowDefinition;
  context: { [key: string]: JsonValue };
}> {
  const { workflow } = await loadBuiltin('ui-variants');
  const schema = workflow.phases.find((phase) => phase.id === 'context')!.output as { default: JsonValue };
  return { workflow, context: structuredClone(schema.default) as { [key: string]: JsonValue } };
}

describe('reviewing a --submit answer up front', () => {
  it("runs the phase's builtin reviewer: findings for a context it would send back, nothing for a good one", async () => {
    const { workflow, context } = await uiVariants();
    expect(await reviewSubmission(workflow, 'context', context, builtinSteps, {})).toBeUndefined();
    const variants = context.variants as { 'variant-a': { slot: string } };
    variants['variant-a'].slot = 'price-box';
    expect(await reviewSubmission(workflow, 'context', context, builtinSteps, {})).toEqual({
      reviewer: 'baseline',
      findings: [
        expect.stringMatching(/^variants\.variant-a\.slot: no node of the baseline has the id "price-box"/),
      ],
    });
  });

  it('leaves the answer to the run when the reviewer needs more than the phase, or its step is unknown here', async () => {
    const { workflow, context } = await uiVariants();
    context.goals = [];
    const needsMore: WorkflowDefinition = {
      ...workflow,
      phases: workflow.phases.map((phase) =>
        phase.id === 'baseline' ? { ...phase, needs: [...phase.needs, 'other'] } : phase,
      ),
    };
    expect(await reviewSubmission(needsMore, 'context', context, builtinSteps, {})).toBeUndefined();
    expect(await reviewSubmission(workflow, 'context', context, {}, {})).toBeUndefined();
    expect(await reviewSubmission(workflow, 'context', context, builtinSteps, {})).toMatchObject({
      findings: ['goals: must be a list of text with at least one entry'],
    });
  });
});
