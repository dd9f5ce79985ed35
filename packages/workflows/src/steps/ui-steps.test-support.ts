/**
 * What the tests of the `ui-variants` steps share: a builtin context with given needs, a valid
 * context (the bundled pricing card with a rubric and two slots), and V0 made from it.
 */
import { PRICING_CARD_EXAMPLE } from '@baton/ui-schema';
import type { BuiltinContext, JsonValue } from '@baton/engine';
import { checkContext } from './ui-baseline.js';
import type { ParentVersion } from './ui-versions.js';

/** A builtin context whose phase needs `needs`. */
export function stepContext(needs: readonly string[], phaseId = 'step'): BuiltinContext {
  return {
    runId: 'run-1',
    phaseId,
    attempt: 1,
    runInputs: {},
    needs,
    signal: new AbortController().signal,
    readBlob: () => Promise.resolve(undefined),
  };
}

/** A valid context: the pricing card, two goals, a weighted rubric, variant-a on the price row and variant-b on the CTA. */
export function validContext(): { [key: string]: JsonValue } {
  return {
    baseline: structuredClone(PRICING_CARD_EXAMPLE) as unknown as JsonValue,
    goals: ['More trials', 'A clear team price'],
    rubric: [
      { id: 'clarity', criterion: 'Understood at a glance', weight: 3 },
      { id: 'brand', criterion: 'Only the tokens', weight: 1 },
    ],
    constraints: ['Keep every link'],
    variants: {
      'variant-a': { slot: 'price-row', brief: 'Show the team price' },
      'variant-b': { slot: 'cta', brief: 'Say the trial is free' },
    },
  };
}

/** V0 of {@link validContext}. */
export function baselineVersion(): ParentVersion {
  const checked = checkContext(validContext());
  if (!checked.ok) throw new Error(JSON.stringify(checked.problems));
  return checked.version;
}
