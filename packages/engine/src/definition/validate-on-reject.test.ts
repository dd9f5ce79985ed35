import { describe, expect, it } from 'vitest';
import { formatProblems } from '../errors.js';
import { validateWorkflow } from './validate-workflow.js';
import { workflow } from './workflow-builder.js';

type Raw = Record<string, unknown>;

const tool = (id: string, extra: Raw = {}): Raw => ({ id, kind: 'tool', run: 'true', ...extra });
const agent = (id: string, extra: Raw = {}): Raw => ({
  id,
  kind: 'agent',
  agent: 'scripted',
  fixtures: 'f.yaml',
  ...extra,
});

function validate(phases: Raw[]) {
  return validateWorkflow({ id: 'variants', phases });
}

function problemsOf(phases: Raw[]): string[] {
  const result = validate(phases);
  return result.ok ? [] : formatProblems(result.problems).split('\n');
}

describe('validateWorkflow: onReject', () => {
  it('keeps onReject: skip on a gate, a human phase and an agent phase, and a normalised definition validates to itself', () => {
    const result = validate([
      tool('a', { gate: true, onReject: 'skip' }),
      { id: 'b', kind: 'human', onReject: 'skip' },
      agent('c', { onReject: 'skip' }),
      { id: 'd', kind: 'builtin', run: 'merge', gate: true, onReject: 'skip', needs: ['a', 'b', 'c'] },
    ]);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.workflow.phases.map((p) => p.onReject)).toEqual(['skip', 'skip', 'skip', 'skip']);
    expect(validateWorkflow(result.workflow)).toEqual(result);
  });

  it('leaves the default out of the normalised phase, whether written or not', () => {
    const result = validate([tool('a', { gate: true, onReject: 'fail' }), { id: 'b', kind: 'human' }]);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.workflow.phases.map((p) => 'onReject' in p)).toEqual([false, false]);
  });

  it('refuses onReject on a phase no person can reject, saying what to do', () => {
    expect(
      problemsOf([
        tool('a', { onReject: 'skip' }),
        { id: 'b', kind: 'builtin', run: 'merge', onReject: 'fail' },
      ]),
    ).toEqual([
      'phases[0].onReject: a tool phase without a gate is never rejected by a person, so onReject would never apply (set gate: true, or remove onReject)',
      'phases[1].onReject: a builtin phase without a gate is never rejected by a person, so onReject would never apply (set gate: true, or remove onReject)',
    ]);
  });

  it("refuses onReject on a map without a gate, and accepts it on a map's gate and its template's human phase", () => {
    const plan = tool('plan');
    expect(
      problemsOf([
        plan,
        { id: 'tasks', kind: 'map', over: 'plan', onReject: 'skip', phase: { kind: 'tool', run: 'x' } },
      ]),
    ).toEqual([
      'phases[1].onReject: a map phase without a gate is never rejected by a person, so onReject would never apply (set gate: true, or remove onReject)',
    ]);
    const result = validate([
      plan,
      {
        id: 'tasks',
        kind: 'map',
        over: 'plan',
        gate: true,
        onReject: 'skip',
        phase: { kind: 'human', onReject: 'skip' },
      },
    ]);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.workflow.phases[1]!.onReject).toBe('skip');
    expect(result.workflow.phases[1]!.map!.phases[0]!.onReject).toBe('skip');
  });

  it('refuses onReject: skip on a reviewer, since skipping it would approve what it reviews', () => {
    expect(
      problemsOf([
        agent('draft', { gate: true }),
        agent('check', { needs: ['draft'], reviews: 'draft', onReject: 'skip' }),
      ]),
    ).toEqual([
      'phases[1].onReject: a reviewer cannot take onReject: skip — a skipped reviewer ends its review as if it approved "draft"; set onReject on "draft" and reject at its gate instead',
    ]);
    expect(
      problemsOf([agent('draft'), agent('check', { needs: ['draft'], reviews: 'draft', onReject: 'fail' })]),
    ).toEqual([]);
  });

  it('refuses an unknown value with a did-you-mean', () => {
    const result = validate([
      tool('a', { gate: true, onReject: 'skipp' }),
      tool('b', { gate: true, onReject: 3 }),
    ]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual([
      {
        path: 'phases[0].onReject',
        message: 'unknown onReject "skipp" (expected fail or skip; did you mean "skip"?)',
        hint: 'did you mean "skip"?',
      },
      { path: 'phases[1].onReject', message: 'unknown onReject a number (3) (expected fail or skip)' },
    ]);
  });

  it('takes onReject from the TypeScript builder', () => {
    const built = workflow('variants')
      .tool('a', { run: 'true', gate: true, onReject: 'skip' })
      .human('b', { onReject: 'skip' })
      .build();
    expect(built.ok && built.workflow.phases.map((p) => p.onReject)).toEqual(['skip', 'skip']);
  });
});
