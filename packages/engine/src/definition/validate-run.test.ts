import { describe, expect, it } from 'vitest';
import { formatProblems } from '../errors.js';
import { validateWorkflow, type ValidateWorkflowOptions } from './validate-workflow.js';
import { workflow } from './workflow-builder.js';

type Raw = Record<string, unknown>;

const review = (id: string): Raw => ({ id, kind: 'tool', run: 'true' });

function problemsOf(phases: Raw[], options?: ValidateWorkflowOptions): string[] {
  const result = validateWorkflow({ id: 'feature', phases }, options);
  return result.ok ? [] : formatProblems(result.problems).split('\n');
}

describe('validateWorkflow: builtin phases', () => {
  it('accepts a builtin phase and normalises it like a tool phase, with a one-minute timeout', () => {
    const result = validateWorkflow({
      id: 'feature',
      phases: [
        review('security-review'),
        review('code-review'),
        { id: 'verdict', kind: 'builtin', run: 'verdict', needs: ['security-review', 'code-review'] },
      ],
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.workflow.phases[2]).toEqual({
      id: 'verdict',
      kind: 'builtin',
      run: 'verdict',
      needs: ['security-review', 'code-review'],
      gate: false,
      retry: { maxAttempts: 3, backoffMs: 2_000, maxBackoffMs: 300_000, maxRecoveries: 3 },
      timeoutMs: 60_000,
      onFailure: 'continue',
    });
    // A normalised definition validates to itself.
    expect(validateWorkflow(result.workflow)).toEqual(result);
  });

  it('takes input and output schemas, a gate, a retry policy and a timeout like other phases', () => {
    const built = workflow('feature')
      .tool('a', { run: 'true' })
      .builtin('check', {
        run: 'check-json',
        needs: ['a'],
        gate: true,
        timeout: '5s',
        retry: { maxAttempts: 1 },
        input: { type: 'object', required: ['a'] },
        output: { type: 'object' },
      })
      .build();
    expect(built.ok && built.workflow.phases[1]).toMatchObject({
      kind: 'builtin',
      run: 'check-json',
      gate: true,
      timeoutMs: 5_000,
      retry: { maxAttempts: 1 },
      input: { type: 'object', required: ['a'] },
      output: { type: 'object' },
    });
  });

  it('requires run, a well-formed step name', () => {
    expect(
      problemsOf([
        { id: 'a', kind: 'builtin' },
        { id: 'b', kind: 'builtin', run: 'Verdict' },
        { id: 'c', kind: 'builtin', run: 'run verdict' },
        { id: 'd', kind: 'builtin', run: '' },
        { id: 'e', kind: 'builtin', run: 7 },
      ]),
    ).toEqual([
      'phases[0].run: missing required field (a builtin phase needs the name of the builtin step to run)',
      'phases[1].run: invalid step name "Verdict" (a builtin step is named with lowercase letters, digits and "-", starting with a letter, such as "verdict")',
      'phases[2].run: invalid step name "run verdict" (a builtin step is named with lowercase letters, digits and "-", starting with a letter, such as "verdict")',
      'phases[3].run: must be non-empty text (the name of the builtin step to run), got a string ("")',
      'phases[4].run: must be non-empty text (the name of the builtin step to run), got a number (7)',
    ]);
  });

  it('refuses what only agents and people take: agent, fixtures, model, budget, prompt', () => {
    expect(
      problemsOf([
        {
          id: 'a',
          kind: 'builtin',
          run: 'verdict',
          agent: 'scripted',
          fixtures: 'f.yaml',
          model: { provider: 'anthropic' },
          budget: { tokens: 10 },
          prompt: 'decide',
        },
      ]),
    ).toEqual([
      'phases[0].agent: only agent phases take agent (this is a builtin phase)',
      'phases[0].fixtures: only agent phases take fixtures (this is a builtin phase)',
      'phases[0].prompt: only human phases take prompt (this is a builtin phase)',
      'phases[0].model: only agent phases take model (this is a builtin phase)',
      'phases[0].budget: only agent phases take budget (this is a builtin phase)',
    ]);
  });

  it('checks the step name against the known steps when the caller knows them, with a did-you-mean', () => {
    const phases = [{ id: 'v', kind: 'builtin', run: 'verdct' }];
    // The pure engine alone accepts any well-formed name: the steps are known where they run.
    expect(problemsOf(phases)).toEqual([]);
    expect(problemsOf(phases, { knownSteps: ['merge', 'verdict'] })).toEqual([
      'phases[0].run: unknown builtin step "verdct" (known steps: merge, verdict; did you mean "verdict"?)',
    ]);
    expect(problemsOf([{ id: 'v', kind: 'builtin', run: 'zzz' }], { knownSteps: ['verdict'] })).toEqual([
      'phases[0].run: unknown builtin step "zzz" (known steps: verdict)',
    ]);
    expect(problemsOf(phases, { knownSteps: [] })).toEqual([
      'phases[0].run: unknown builtin step "verdct" (none are available here)',
    ]);
    expect(problemsOf([{ id: 'v', kind: 'builtin', run: 'verdict' }], { knownSteps: ['verdict'] })).toEqual(
      [],
    );
  });

  it("checks a map template's builtin phases against the known steps too", () => {
    const phases = [
      { id: 'plan', kind: 'tool', run: 'true' },
      { id: 'each', kind: 'map', over: 'plan', phase: { kind: 'builtin', run: 'merj' } },
    ];
    expect(problemsOf(phases, { knownSteps: ['merge'] })).toEqual([
      'phases[1].phase.run: unknown builtin step "merj" (known steps: merge)',
    ]);
  });

  it('still refuses run on agent and human phases, naming both kinds that take it', () => {
    expect(
      problemsOf([
        { id: 'a', kind: 'human', run: 'x' },
        { id: 'b', kind: 'tool' },
      ]),
    ).toEqual([
      'phases[0].run: only tool and builtin phases take run (this is a human phase)',
      'phases[1].run: missing required field (a tool phase needs the shell command to run)',
    ]);
  });
});
