/**
 * Builtin steps the CLI tests run (through `baton-with-test-steps.js`): small, generic steps that
 * exercise the machinery, not the built-in workflows' own.
 */
import type { BuiltinStep, BuiltinSteps } from '@baton/engine';

/** Passes when every needed review's `verdict` is `PASS`; else fails, naming the ones that did not. */
const allPass: BuiltinStep = {
  name: 'all-pass',
  description: "passes when every needed review's verdict is PASS",
  input: {
    type: 'object',
    additionalProperties: {
      type: 'object',
      required: ['verdict'],
      properties: { verdict: { type: 'string' } },
    },
  },
  output: { type: 'object', required: ['verdict', 'reviews'] },
  run(inputs) {
    const failed = Object.entries(inputs)
      .filter(([, review]) => (review as { verdict: string }).verdict !== 'PASS')
      .map(([id]) => id)
      .sort();
    if (failed.length > 0) {
      return {
        ok: false,
        code: 'REVIEW_FAILED',
        message: `not every review passed: ${failed.join(', ')} failed`,
      };
    }
    return { ok: true, output: { verdict: 'PASS', reviews: Object.keys(inputs).sort() } };
  },
};

export const testSteps: BuiltinSteps = { [allPass.name]: allPass };
