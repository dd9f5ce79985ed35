import { describe, expect, it } from 'vitest';
import { formatProblems } from '../errors.js';
import { validateWorkflow } from './validate-workflow.js';

const agents = { writer: { system: 'You write.' } };

function check(raw: Record<string, unknown>) {
  return validateWorkflow({ id: 'w', agents, ...raw });
}

describe('validateWorkflow: budgets', () => {
  it('keeps the run budget and an agent phase’s budget', () => {
    const result = check({
      budget: { tokens: 200_000, usd: 5 },
      phases: [{ id: 'a', kind: 'agent', agent: 'writer', budget: { usd: 0.5 } }],
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.workflow.budget).toEqual({ tokens: 200_000, usd: 5 });
    expect(result.workflow.phases[0]!.budget).toEqual({ usd: 0.5 });
  });

  it('says what is wrong with a budget, and that only agent phases take one', () => {
    const result = check({
      budget: { tokens: -3, dollars: 1 },
      phases: [
        { id: 'a', kind: 'agent', agent: 'writer', budget: {} },
        { id: 't', kind: 'tool', run: 'true', budget: { usd: 1 } },
        { id: 'b', kind: 'agent', agent: 'writer', budget: 100 },
      ],
    });
    expect(result.ok).toBe(false);
    const report = result.ok ? '' : formatProblems(result.problems);
    expect(report).toMatch(/budget\.tokens: must be a positive whole number/);
    expect(report).toMatch(/budget\.dollars: unknown field \(expected tokens or usd\)/);
    expect(report).toMatch(/phases\[0\]\.budget: needs "tokens" or "usd"/);
    expect(report).toMatch(/phases\[1\]\.budget: .*agent/);
    expect(report).toMatch(/phases\[2\]\.budget: must be a mapping such as \{ tokens: 200000, usd: 5 \}/);
  });
});
