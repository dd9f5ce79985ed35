import { describe, expect, it } from 'vitest';
import { formatProblems } from '../errors.js';
import { parseWorkflow } from './parse-workflow.js';
import { validateWorkflow } from './validate-workflow.js';
import { inlineFixturesKey, isInlineFixturesKey } from './inline-fixtures.js';
import { workflow } from './workflow-builder.js';

type Raw = Record<string, unknown>;

const draft: Raw = { id: 'draft', kind: 'agent', agent: 'scripted' };

describe('inline fixtures', () => {
  it('keys the workflow’s inline fixtures "inline:workflow", and phases inherit that key', () => {
    const result = validateWorkflow({
      id: 'wf',
      fixtures: { draft: { output: { title: 'x' } } },
      phases: [draft, { id: 'edit', kind: 'agent', agent: 'scripted', needs: ['draft'] }],
    });
    if (!result.ok) throw new Error(formatProblems(result.problems));
    expect(result.workflow.fixtures).toBe('inline:workflow');
    expect(result.workflow.phases.map((p) => p.fixtures)).toEqual(['inline:workflow', 'inline:workflow']);
    expect(result.inlineFixtures).toEqual({ 'inline:workflow': { draft: { output: { title: 'x' } } } });
  });

  it("keys a phase's own inline fixtures by the phase, and a map template phase's by map and phase", () => {
    const text = [
      'id: wf',
      'fixtures: shared.yaml',
      'phases:',
      '  - id: plan',
      '    kind: agent',
      '    agent: scripted',
      '    fixtures:',
      '      plan: { output: [1, 2] }',
      '  - id: tasks',
      '    kind: map',
      '    over: plan',
      '    phases:',
      '      - id: code',
      '        kind: agent',
      '        agent: scripted',
      '        fixtures: { "tasks[*].code": { output: done } }',
    ].join('\n');
    const result = parseWorkflow(text);
    if (!result.ok) throw new Error(formatProblems(result.problems));
    expect(result.workflow.fixtures).toBe('shared.yaml');
    expect(result.workflow.phases[0]!.fixtures).toBe('inline:phase:plan');
    expect(result.workflow.phases[1]!.map!.phases[0]!.fixtures).toBe('inline:phase:tasks.code');
    expect(result.inlineFixtures).toEqual({
      'inline:phase:plan': { plan: { output: [1, 2] } },
      'inline:phase:tasks.code': { 'tasks[*].code': { output: 'done' } },
    });
  });

  it('returns no inline fixtures for a definition that has none', () => {
    const result = validateWorkflow({ id: 'wf', fixtures: 'f.yaml', phases: [draft] });
    expect(result).toEqual({ ok: true, workflow: expect.anything() });
  });

  it('validates a normalised definition to itself: its inline keys stay keys', () => {
    const first = validateWorkflow({
      id: 'wf',
      phases: [{ ...draft, fixtures: { draft: { output: 'x' } } }],
    });
    if (!first.ok) throw new Error(formatProblems(first.problems));
    const again = validateWorkflow(first.workflow, { allowFixturePaths: false });
    expect(again).toEqual({ ok: true, workflow: first.workflow });
  });

  it('reports problems of inline fixtures at their place in the workflow, with hints', () => {
    const result = validateWorkflow({
      id: 'wf',
      phases: [{ ...draft, fixtures: { draft: { outptu: 'x' }, 'Bad Id': { output: 1 } } }],
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual([
      {
        path: 'phases[0].fixtures.draft.outptu',
        message: 'unknown field (did you mean "output"?)',
        hint: 'did you mean "output"?',
      },
      {
        path: 'phases[0].fixtures.draft',
        message: 'must have output, fail, toolCalls, replies or attempts',
      },
      {
        path: 'phases[0].fixtures["Bad Id"]',
        message: expect.stringMatching(/^invalid phase id "Bad Id"/),
      },
    ]);
  });

  it('reports fixtures that are neither a path nor a mapping', () => {
    for (const value of [null, '', 3, ['a']]) {
      const result = validateWorkflow({ id: 'wf', fixtures: value, phases: [draft] });
      expect(result.ok ? [] : result.problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
        expect.stringMatching(
          /^fixtures: must be the path of a fixtures file or the fixtures themselves \(a mapping keyed by phase id\), got /,
        ),
      ]);
    }
  });

  it('refuses every fixtures path, once, when paths are not allowed, and accepts inline fixtures', () => {
    const result = validateWorkflow(
      {
        id: 'wf',
        fixtures: 'all.yaml',
        phases: [
          draft,
          { id: 'b', kind: 'agent', agent: 'scripted', fixtures: 'b.yaml' },
          { id: 'c', kind: 'agent', agent: 'scripted', fixtures: { c: { output: 'x' } } },
        ],
      },
      { allowFixturePaths: false },
    );
    const message =
      "a workflow sent to the server must be self-contained: put the fixtures inline under `fixtures:` (a path on the server's disk is not read)";
    expect(result.ok ? [] : result.problems).toEqual([
      { path: 'fixtures', message },
      { path: 'phases[1].fixtures', message },
    ]);
  });

  it('takes inline fixtures from the builder too', () => {
    const result = workflow('wf', { fixtures: { a: { output: 'x' } } })
      .agent('a', { agent: 'scripted' })
      .build();
    expect(result.ok && result.inlineFixtures).toEqual({ 'inline:workflow': { a: { output: 'x' } } });
  });

  it('names keys that never collide with a path or with each other', () => {
    const keys = [
      inlineFixturesKey(),
      inlineFixturesKey({ id: 'workflow' }),
      inlineFixturesKey({ id: 'code', templateOf: 'tasks' }),
      inlineFixturesKey({ id: 'tasks.code' }),
    ];
    expect(keys).toEqual([
      'inline:workflow',
      'inline:phase:workflow',
      'inline:phase:tasks.code',
      expect.any(String),
    ]);
    expect(keys.every(isInlineFixturesKey)).toBe(true);
    expect(isInlineFixturesKey('fixtures/inline.yaml')).toBe(false);
  });
});

describe('hints', () => {
  it('carries every did-you-mean suggestion of the validator as a hint, the message unchanged', () => {
    const result = validateWorkflow({
      id: 'wf',
      model: { provider: 'antropic', model: 'x' },
      agents: { writer: { system: 'x', reads: ['colect'] } },
      fixtures: 'f.yaml',
      phases: [
        { id: 'collect', kind: 'tool', run: 'x', onFailure: 'failfast' },
        { id: 'a', kind: 'agent', agent: 'scriptd' },
        { id: 'plan', kind: 'tool', run: 'x' },
        { id: 'tasks', kind: 'map', over: 'plna', phase: { kind: 'tool', run: 'x' } },
      ],
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => [p.path, p.hint])).toEqual([
      ['model.provider', 'did you mean "anthropic"?'],
      ['agents.writer.reads[0]', 'did you mean "collect"?'],
      ['phases[0].onFailure', 'did you mean "fail-fast"?'],
      ['phases[1].agent', 'did you mean "scripted"?'],
      ['phases[3].over', 'did you mean "plan"?'],
    ]);
    for (const problem of result.problems) expect(problem.message).toContain(problem.hint);
  });

  it('gives no hint when nothing is close', () => {
    const result = validateWorkflow({
      id: 'wf',
      phases: [{ id: 'a', kind: 'tool', run: 'x', needs: ['zzz'] }],
    });
    expect(result.ok ? [] : result.problems).toEqual([
      { path: 'phases[0].needs[0]', message: 'unknown phase "zzz"' },
    ]);
  });
});
