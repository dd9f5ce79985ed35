import { describe, expect, it } from 'vitest';
import { formatProblems } from '../errors.js';
import type { WorkflowDefinition } from '../types.js';
import { validateWorkflow } from './validate-workflow.js';

type Raw = Record<string, unknown>;

const phases: Raw[] = [
  { id: 'spec', kind: 'tool', run: 'true', gate: true },
  { id: 'align-spec', kind: 'tool', run: 'true', needs: ['spec'] },
  { id: 'plan', kind: 'tool', run: 'true', needs: ['spec'] },
];

function problemsOf(stages: unknown): string[] {
  const result = validateWorkflow({ id: 'staged', phases, stages });
  return result.ok ? [] : formatProblems(result.problems).split('\n');
}

function valid(stages: unknown): WorkflowDefinition {
  const result = validateWorkflow({ id: 'staged', phases, stages });
  if (!result.ok) throw new Error(formatProblems(result.problems));
  return result.workflow;
}

describe('validateWorkflow: stages', () => {
  it('normalises single statuses to lists and keeps the entries in order', () => {
    const workflow = valid([
      { stage: 'spec_generating', phases: { spec: ['ready', 'running'], 'align-spec': 'running' } },
      { stage: 'spec_ready', phases: { spec: 'waiting_for_human' } },
      { stage: 'done', run: 'completed' },
      { stage: 'failed', run: ['failed', 'cancelled', 'failed'] },
    ]);
    expect(workflow.stages).toEqual([
      { stage: 'spec_generating', phases: { spec: ['ready', 'running'], 'align-spec': ['running'] } },
      { stage: 'spec_ready', phases: { spec: ['waiting_for_human'] } },
      { stage: 'done', run: ['completed'] },
      { stage: 'failed', run: ['failed', 'cancelled'] },
    ]);
    // A normalised definition validates to itself.
    expect(validateWorkflow(workflow)).toEqual({ ok: true, workflow });
  });

  it('takes an entry with both phases and run, and a workflow without stages has none', () => {
    const workflow = valid([{ stage: 'planning', phases: { plan: 'running' }, run: ['running'] }]);
    expect(workflow.stages).toEqual([{ stage: 'planning', phases: { plan: ['running'] }, run: ['running'] }]);
    const plain = validateWorkflow({ id: 'plain', phases });
    expect(plain.ok && 'stages' in plain.workflow).toBe(false);
  });

  it('refuses a phase the workflow does not have, with a did-you-mean', () => {
    expect(problemsOf([{ stage: 'planning', phases: { plann: 'running' } }])).toEqual([
      'stages[0].phases.plann: unknown phase "plann" (did you mean "plan"?)',
    ]);
  });

  it('refuses statuses that are no phase or run status, naming the valid ones', () => {
    const problems = problemsOf([
      { stage: 'a', phases: { spec: ['runing'] } },
      { stage: 'b', run: 'done' },
      { stage: 'c', phases: { spec: [] } },
    ]);
    expect(problems[0]).toMatch(
      /^stages\[0\]\.phases\.spec\[0\]: not a phase status: a string \("runing"\) \(expected blocked, ready, running/,
    );
    expect(problems[1]).toMatch(
      /^stages\[1\]\.run: not a run status: a string \("done"\) \(expected running, waiting, paused, completed, failed or cancelled\)/,
    );
    expect(problems[2]).toMatch(/^stages\[2\]\.phases\.spec: must name at least one phase status/);
    expect(problems).toHaveLength(3);
  });

  it('refuses duplicate, missing and malformed labels', () => {
    expect(
      problemsOf([
        { stage: 'review', run: 'running' },
        { stage: 'review', run: 'waiting' },
        { run: 'failed' },
        { stage: 'Spec-Ready', run: 'waiting' },
        { stage: 7, run: 'waiting' },
      ]),
    ).toEqual([
      'stages[1].stage: duplicate stage "review" (also stages[0]); labels must be unique',
      'stages[2].stage: missing required field (the label, such as "spec_ready")',
      'stages[3].stage: invalid stage label "Spec-Ready" (use at most 64 lowercase letters, digits and "_", starting with a letter)',
      'stages[4].stage: invalid stage label a number (7) (use at most 64 lowercase letters, digits and "_", starting with a letter)',
    ]);
  });

  it('refuses an entry that says nowhere when it holds, unknown fields, and stages that are no list', () => {
    expect(problemsOf([{ stage: 'idle' }, { stage: 'x', run: 'running', phase: {} }, 'done'])).toEqual([
      'stages[0]: says nowhere when it holds: give phases (phase id -> statuses) and/or run (run statuses)',
      'stages[1].phase: unknown field (did you mean "phases"?)',
      'stages[2]: must be a mapping with stage and phases and/or run, got a string ("done")',
    ]);
    expect(problemsOf({ stage: 'x' })[0]).toMatch(/^stages: must be a list of stages/);
    expect(problemsOf([{ stage: 'x', phases: 'spec' }])[0]).toMatch(
      /^stages\[0\]\.phases: must be a mapping of phase id to statuses/,
    );
  });
});
