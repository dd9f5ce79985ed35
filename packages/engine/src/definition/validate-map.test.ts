import { describe, expect, it } from 'vitest';
import { formatProblems } from '../errors.js';
import type { WorkflowDefinition } from '../types.js';
import { validateWorkflow } from './validate-workflow.js';

type Raw = Record<string, unknown>;

const plan: Raw = { id: 'plan', kind: 'tool', run: 'cat plan.json' };
const map = (extra: Raw): Raw => ({ id: 'tasks', kind: 'map', over: 'plan', ...extra });
const template: Raw[] = [
  { id: 'code', kind: 'agent', agent: 'scripted' },
  { id: 'test', kind: 'tool', run: 'npm test', needs: ['code'] },
  { id: 'review', kind: 'agent', agent: 'scripted', needs: ['code', 'test'], reviews: 'code' },
];

function problemsOf(phases: Raw[]): string[] {
  const result = validateWorkflow({ id: 'maps', fixtures: 'f.yaml', phases });
  return result.ok ? [] : formatProblems(result.problems).split('\n');
}

function valid(phases: Raw[]): WorkflowDefinition {
  const result = validateWorkflow({ id: 'maps', fixtures: 'f.yaml', phases });
  if (!result.ok) throw new Error(formatProblems(result.problems));
  return result.workflow;
}

describe('validateWorkflow: map phases', () => {
  it('normalises a one-phase template: over needed first, concurrency 4, no timeout, template id = map id', () => {
    const workflow = valid([
      plan,
      { id: 'brief', kind: 'tool', run: 'true' },
      map({ needs: ['brief'], phase: { kind: 'tool', run: 'make', timeout: '5m' } }),
    ]);
    const tasks = workflow.phases[2]!;
    expect(tasks).toMatchObject({ kind: 'map', needs: ['plan', 'brief'], timeoutMs: null, gate: false });
    expect(tasks.map).toMatchObject({ over: 'plan', concurrency: 4, form: 'phase', collect: 'tasks' });
    expect(tasks.map!.phases).toEqual([
      expect.objectContaining({ id: 'tasks', kind: 'tool', run: 'make', needs: [], timeoutMs: 300_000 }),
    ]);
    // A normalised definition validates to itself.
    expect(valid(workflow.phases as unknown as Raw[])).toEqual(workflow);
  });

  it('normalises a sub-DAG template: scripted phases inherit the fixtures, collect defaults to the one final phase', () => {
    const workflow = valid([plan, map({ concurrency: 2, phases: template.slice(0, 2) })]);
    const spec = workflow.phases[1]!.map!;
    expect(spec.collect).toBe('test');
    expect(spec.concurrency).toBe(2);
    expect(spec.phases[0]).toMatchObject({ id: 'code', fixtures: 'f.yaml', needs: [] });
    expect(spec.phases[1]).toMatchObject({ id: 'test', needs: ['code'] });
    expect(valid(workflow.phases as unknown as Raw[])).toEqual(workflow);
  });

  it('asks for collect when the template ends in several phases, and checks it names a template phase', () => {
    expect(problemsOf([plan, map({ phases: template })])).toEqual([]);
    expect(
      problemsOf([
        plan,
        map({ phases: [template[0], { id: 'lint', kind: 'tool', run: 'x', needs: ['code'] }, template[1]] }),
      ]),
    ).toEqual([
      "phases[1].collect: the template ends in several phases (lint, test): set collect to the one whose output is an element's result",
    ]);
    expect(problemsOf([plan, map({ phases: template, collect: 'deploy' })])).toEqual([
      'phases[1].collect: must name a phase of the template (code, test, review), got a string ("deploy")',
    ]);
  });

  it('reports what is wrong with over, concurrency and the template, with paths into the template', () => {
    expect(problemsOf([plan, { id: 'tasks', kind: 'map', phase: { kind: 'tool', run: 'x' } }])).toEqual([
      'phases[1].over: missing required field (the upstream phase whose output is the JSON array to map over)',
    ]);
    expect(problemsOf([plan, map({ over: 'plna', phase: { kind: 'tool', run: 'x' } })])).toEqual([
      'phases[1].over: unknown phase "plna" (did you mean "plan"?)',
    ]);
    expect(problemsOf([plan, map({ concurrency: 0, phase: { kind: 'tool', run: 'x' } })])).toEqual([
      'phases[1].concurrency: must be a whole number from 1 to 1000 (elements in progress at a time), got a number (0)',
    ]);
    expect(problemsOf([plan, map({})])).toEqual([
      'phases[1]: a map needs a template: phase (one phase per element) or phases (a small sub-DAG per element)',
    ]);
    expect(problemsOf([plan, map({ phase: { kind: 'tool', run: 'x' }, phases: template })])).toEqual([
      'phases[1].phases: give the template once: phase (one phase per element) or phases (a sub-DAG per element)',
    ]);
    expect(problemsOf([plan, map({ phase: { id: 'x', kind: 'tool', run: 'x', needs: ['plan'] } })])).toEqual([
      'phases[1].phase.id: a one-phase template takes no id (its instances are "tasks[0]", "tasks[1]", …)',
      'phases[1].phase.needs: a one-phase template needs what its map needs: put needs on "tasks"',
    ]);
    expect(
      problemsOf([
        plan,
        map({
          phases: [
            { id: 'code', kind: 'tool', run: 'x', needs: ['tset'] },
            { id: 'test', kind: 'tool', needs: ['code'] },
          ],
        }),
      ]),
    ).toEqual([
      'phases[1].phases[0].needs[0]: unknown phase "tset" (did you mean "test"?)',
      'phases[1].phases[1].run: missing required field (a tool phase needs the shell command to run)',
    ]);
    expect(
      problemsOf([
        plan,
        map({
          phases: [
            { id: 'a', kind: 'tool', run: 'x', needs: ['b'] },
            { id: 'b', kind: 'tool', run: 'x', needs: ['a'] },
          ],
        }),
      ]),
    ).toEqual(['phases[1].phases: cycle: a -> b -> a']);
  });

  it('keeps map fields on maps, other fields off them, and maps out of templates and reviews', () => {
    expect(problemsOf([plan, { id: 'x', kind: 'tool', run: 'x', over: 'plan' }])).toEqual([
      'phases[1].over: only map phases take over (this is a tool phase)',
    ]);
    expect(problemsOf([plan, map({ run: 'x', timeout: '1m', phase: { kind: 'tool', run: 'x' } })])).toEqual([
      'phases[1].run: only tool and builtin phases take run (this is a map phase)',
      'phases[1].timeout: a map phase takes no timeout (set it on the phases of its template)',
    ]);
    expect(problemsOf([plan, map({ phase: { kind: 'map', over: 'plan' } })])).toEqual([
      'phases[1].phase.kind: a map\'s template cannot hold another map (in "tasks")',
    ]);
    expect(
      problemsOf([
        plan,
        map({ phase: { kind: 'tool', run: 'x' } }),
        { id: 'judge', kind: 'tool', run: 'x', needs: ['tasks'], reviews: 'tasks' },
      ]),
    ).toEqual([
      'phases[2].reviews: a map cannot be reviewed ("tasks"): put the reviewer in its template, next to the phase it reviews',
    ]);
    expect(problemsOf([plan, map({ phases: [template[0], { ...template[1], reviews: 'nope' }] })])).toEqual([
      'phases[1].phases[1].reviews: unknown phase "nope"',
    ]);
    expect(problemsOf([plan, map({ over: 'tasks', phase: { kind: 'tool', run: 'x' } })])).toEqual([
      'phases[1].over: a map cannot map over its own output',
    ]);
  });
});
