import { describe, expect, it } from 'vitest';
import { validateWorkflow } from '../definition/validate-workflow.js';
import type { WorkflowDefinition } from '../types.js';
import { planFork } from './fork.js';
import { Harness, json, text } from './step-harness.test-support.js';

/** A workflow from plain data, validated and normalised like a workflow file. */
function define(phases: unknown[]): WorkflowDefinition {
  const result = validateWorkflow({ id: 'map-test', phases });
  if (!result.ok) throw new Error(result.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  return result.workflow;
}

const once = { maxAttempts: 1 };

/** plan -> each (one tool phase per element) -> report. */
function simpleMap(extra: Record<string, unknown> = {}): WorkflowDefinition {
  return define([
    { id: 'plan', kind: 'tool', run: 'plan' },
    { id: 'brief', kind: 'tool', run: 'brief' },
    {
      id: 'each',
      kind: 'map',
      over: 'plan',
      needs: ['brief'],
      phase: { kind: 'tool', run: 'work', retry: once },
      ...extra,
    },
    { id: 'report', kind: 'tool', run: 'report', needs: ['each'] },
  ]);
}

/** plan -> tasks (code -> test -> review of code, per element) -> ship. */
function subDagMap(extra: Record<string, unknown> = {}): WorkflowDefinition {
  return define([
    { id: 'plan', kind: 'tool', run: 'plan' },
    {
      id: 'tasks',
      kind: 'map',
      over: 'plan',
      concurrency: 10,
      collect: 'code',
      phases: [
        { id: 'code', kind: 'tool', run: 'code', retry: once },
        { id: 'test', kind: 'tool', run: 'test', needs: ['code'], retry: once },
        { id: 'review', kind: 'tool', run: 'review', needs: ['code', 'test'], reviews: 'code', rounds: 2 },
      ],
      ...extra,
    },
    { id: 'ship', kind: 'tool', run: 'ship', needs: ['tasks'] },
  ]);
}

/** Runs every queued (ready, due) phase once, in order, with `output(id)`. */
function runReady(h: Harness, output: (id: string) => ReturnType<typeof text> = (id) => text(`${id}-out`)) {
  const ready = h.state.order.filter((id) => h.status(id) === 'ready');
  for (const id of ready) h.run(id, output(id));
  return ready;
}

const approve = json({ verdict: 'approve', findings: [] });

describe('map', () => {
  it('expands one instance per element, each needing what the map needs, and collects their outputs in element order', () => {
    const h = new Harness(simpleMap());
    h.run('plan', json(['a', 'b', 'c']));
    h.run('brief');
    expect(h.status('each')).toBe('ready');
    const claim = h.apply({ type: 'claim', phaseId: 'each', attempt: 1 });
    expect(claim.ok).toBe(true);
    const expanded = h.apply({ type: 'succeed', phaseId: 'each', attempt: 1, output: json(['a', 'b', 'c']) });
    expect(expanded.ok && expanded.events.map((e) => e.type)).toEqual([
      'map_expanded',
      'phase_ready',
      'phase_ready',
      'phase_ready',
    ]);
    expect(expanded.ok && expanded.commands.map((c) => c.type === 'enqueue' && c.phaseId)).toEqual([
      'each[0]',
      'each[1]',
      'each[2]',
    ]);
    expect(h.state.order).toEqual(['plan', 'brief', 'each[0]', 'each[1]', 'each[2]', 'each', 'report']);
    expect(h.state.definitions['each[1]']).toMatchObject({
      kind: 'tool',
      run: 'work',
      needs: ['plan', 'brief'],
      instanceOf: { map: 'each', index: 1, template: 'each' },
    });
    // The map waits for its instances (blocked, not running: the run is not held "running" by it).
    expect(h.status('each')).toBe('blocked');
    expect(h.state.phases.each!.attempts[0]!.status).toBe('succeeded');

    h.run('each[2]', text('C'));
    h.run('each[0]', json({ n: 0 }));
    expect(h.status('each')).toBe('blocked');
    const last = h.run('each[1]', text('B'));
    // The map's next attempt collects; the runtime builds the array.
    expect(last.ok && last.commands).toContainEqual(
      expect.objectContaining({ type: 'enqueue', phaseId: 'each', attempt: 2, kind: 'map' }),
    );
    h.run('each', json([{ n: 0 }, 'B', 'C']));
    expect(h.status('each')).toBe('completed');
    expect(h.state.phases.each!.output).toMatchObject({ attempt: 2, version: 1 });
    expect(h.status('report')).toBe('ready');
    h.run('report');
    expect(h.state.status).toBe('completed');
  });

  it('starts at most `concurrency` elements at a time, the next as one finishes', () => {
    const h = new Harness(simpleMap({ concurrency: 2 }));
    h.run('plan');
    h.run('brief');
    h.run('each', json([1, 2, 3, 4, 5]));
    const ready = () => h.state.order.filter((id) => h.status(id) === 'ready');
    expect(ready()).toEqual(['each[0]', 'each[1]']);
    h.run('each[1]');
    expect(ready()).toEqual(['each[0]', 'each[2]']);
    h.fail('each[0]', { retryable: false });
    // A failed element keeps its slot until a person retries or skips it.
    expect(ready()).toEqual(['each[2]']);
    h.apply({ type: 'skip', phaseId: 'each[0]', by: 'ann' });
    expect(ready()).toEqual(['each[2]', 'each[3]']);
  });

  it('counts a sub-DAG element as in progress from its first phase to its last', () => {
    const h = new Harness(subDagMap({ concurrency: 1 }));
    h.run('plan');
    h.run('tasks', json(['x', 'y']));
    expect(h.status('tasks[0].code')).toBe('ready');
    expect(h.status('tasks[1].code')).toBe('blocked');
    h.run('tasks[0].code');
    // code is in review, test runs: element 0 still holds the only slot.
    expect(h.status('tasks[0].code')).toBe('in_review');
    expect(h.status('tasks[1].code')).toBe('blocked');
    h.run('tasks[0].test');
    h.run('tasks[0].review', approve);
    expect(h.status('tasks[0].code')).toBe('completed');
    expect(h.status('tasks[1].code')).toBe('ready');
  });

  it('starts an element only after the elements it depends on, with their final outputs as inputs', () => {
    const h = new Harness(subDagMap());
    h.run('plan');
    const items = [
      { id: 'api', title: 'API' },
      { id: 'ui', title: 'UI', dependsOn: ['api'] },
      { id: 'docs', dependsOn: ['api', 'ui'] },
      'plain',
    ];
    h.run('tasks', json(items));
    expect(h.state.phases.tasks!.expansion?.elements).toEqual([
      { id: 'api' },
      { id: 'ui', dependsOn: [0] },
      { id: 'docs', dependsOn: [0, 1] },
      {},
    ]);
    expect(h.state.definitions['tasks[1].code']!.needs).toEqual(['plan', 'tasks[0].code', 'tasks[0].review']);
    expect(h.state.definitions['tasks[1].test']!.needs).toEqual(['plan', 'tasks[1].code']);
    expect(h.state.definitions['tasks[1].review']!.reviews).toBe('tasks[1].code');
    expect(runReady(h)).toEqual(['tasks[0].code', 'tasks[3].code']);
    expect(runReady(h)).toEqual(['tasks[0].test', 'tasks[3].test']);
    h.run('tasks[0].review', approve);
    expect(h.status('tasks[1].code')).toBe('ready');
    expect(h.status('tasks[2].code')).toBe('blocked');
    h.run('tasks[1].code');
    h.run('tasks[1].test');
    h.run('tasks[1].review', approve);
    expect(h.status('tasks[2].code')).toBe('ready');
  });

  it('a reviewed instance holds back only later instances of its map; what follows the map waits for the map', () => {
    const h = new Harness(subDagMap());
    h.run('plan');
    h.run('tasks', json([{ id: 'a' }, { id: 'b', dependsOn: ['a'] }]));
    // Element 1's code needs element 0's code and review; its test waits for element 0's code too.
    expect(h.state.waitsFor['tasks[1].test']).toEqual(['tasks[0].code']);
    expect(h.state.waitsFor['ship']).toBeUndefined();
    expect(h.state.reviewScope['tasks[0].review']).toEqual(['tasks[0].test', 'tasks[0].review']);
  });

  it('sends only the element under review back on revise; the others go on', () => {
    const h = new Harness(subDagMap());
    h.run('plan');
    h.run('tasks', json(['a', 'b']));
    runReady(h);
    runReady(h);
    h.run(
      'tasks[0].review',
      json({ verdict: 'revise', findings: [{ severity: 'blocking', message: 'no tests' }] }),
    );
    expect(h.state.phases['tasks[0].code']!.attempt).toBe(2);
    expect(h.status('tasks[0].code')).toBe('ready');
    expect(h.status('tasks[0].test')).toBe('blocked');
    expect(h.status('tasks[1].review')).toBe('ready');
    h.run('tasks[1].review', approve);
    expect(h.status('tasks[1].code')).toBe('completed');
    h.run('tasks[0].code');
    h.run('tasks[0].test');
    h.run('tasks[0].review', approve);
    expect(h.status('tasks')).toBe('ready');
    expect(h.state.phases.tasks!.attempt).toBe(2);
  });

  it('fails the map with what is wrong when its items are not an array, or their ids or dependencies are broken', () => {
    const cases: [unknown, string, RegExp][] = [
      [
        { tasks: [] },
        'MAP_NOT_ARRAY',
        /maps over the output of "plan", which is not a JSON array \(it is an object\)/,
      ],
      [
        [
          { id: 'a', dependsOn: ['c'] },
          { id: 'b', dependsOn: ['a'] },
          { id: 'c', dependsOn: ['b'] },
        ],
        'MAP_CYCLE',
        /depend on each other in a cycle: a -> b -> c -> a/,
      ],
      [[{ id: 'a', dependsOn: ['a'] }], 'MAP_CYCLE', /element 0 \("a"\) depends on itself/],
      [[{ id: 'a' }, { id: 'a' }], 'MAP_ITEMS', /elements 0 and 1 have the same id "a"/],
      [
        [{ id: 'a', dependsOn: ['zz'] }],
        'MAP_ITEMS',
        /element 0 depends on "zz", but no element has that id/,
      ],
      [[{ dependsOn: 'a' }], 'MAP_ITEMS', /dependsOn must be a list of element ids/],
    ];
    for (const [items, code, message] of cases) {
      const h = new Harness(subDagMap());
      h.run('plan');
      h.run('tasks', json(items));
      expect(h.status('tasks')).toBe('failed');
      expect(h.state.phases.tasks!.error?.code).toBe(code);
      expect(h.state.phases.tasks!.error?.message).toMatch(message);
      // Not retried: the same items would fail the same way.
      expect(h.state.phases.tasks!.attempt).toBe(1);
      expect(h.state.status).toBe('failed');
    }
    const h = new Harness(simpleMap());
    h.run('plan');
    h.run('brief');
    h.run('each', text('not json'));
    expect(h.state.phases.each!.error?.message).toMatch(/not a JSON array \(it is text\)/);
  });

  it('completes at once with [] when there are no items', () => {
    const h = new Harness(simpleMap());
    h.run('plan');
    h.run('brief');
    h.run('each', json([]));
    expect(h.status('each')).toBe('completed');
    expect(h.state.phases.each!.output).toMatchObject({ attempt: 1, version: 1 });
    expect(h.state.phases.each!.expansion).toBeUndefined();
    expect(h.status('report')).toBe('ready');
  });

  it('has one gate on a gated map, one per element for a gate in the template; a map takes no change request', () => {
    const h = new Harness(simpleMap({ gate: true, phase: { kind: 'tool', run: 'w', gate: true } }));
    h.run('plan');
    h.run('brief');
    h.run('each', json(['a', 'b']));
    runReady(h);
    expect(h.status('each[0]')).toBe('waiting_for_human');
    expect(h.status('each[1]')).toBe('waiting_for_human');
    expect(h.state.status).toBe('waiting');
    h.apply({ type: 'decide', phaseId: 'each[0]', decision: { kind: 'approve' }, by: 'ann' });
    h.apply({ type: 'decide', phaseId: 'each[1]', decision: { kind: 'approve' }, by: 'ann' });
    h.run('each', json(['a-out', 'b-out']));
    expect(h.status('each')).toBe('waiting_for_human');
    const refused = h.apply({
      type: 'decide',
      phaseId: 'each',
      decision: { kind: 'request_changes', feedback: 'more' },
      by: 'ann',
    });
    expect(!refused.ok && refused.error.message).toMatch(/collected from its elements.*rewind an element/);
    h.apply({ type: 'decide', phaseId: 'each', decision: { kind: 'approve' }, by: 'ann' });
    expect(h.status('each')).toBe('completed');
  });

  it('rewinding an element re-runs it and what follows it; the map keeps its items and collects again', () => {
    const h = new Harness(subDagMap());
    h.run('plan');
    h.run('tasks', json([{ id: 'a' }, { id: 'b', dependsOn: ['a'] }, { id: 'c' }]));
    while (h.state.order.some((id) => h.status(id) === 'ready' && id !== 'tasks' && id !== 'ship')) {
      runReady(h, (id) => (id.endsWith('.review') ? approve : text(`${id}-out`)));
    }
    h.run('tasks');
    h.run('ship');
    expect(h.state.status).toBe('completed');

    h.apply({ type: 'rewind', phaseId: 'tasks[0].test', by: 'ann' });
    const reset = h.log
      .filter((e) => e.type === 'phase_reset')
      .map((e) => e.type === 'phase_reset' && e.phaseId);
    expect(reset).toEqual([
      'tasks[0].test',
      'tasks[0].review',
      'tasks[1].code',
      'tasks[1].test',
      'tasks[1].review',
      'tasks',
      'ship',
    ]);
    const mapReset = h.log.find((e) => e.type === 'phase_reset' && e.phaseId === 'tasks');
    expect(mapReset).toMatchObject({ keepItems: true });
    expect(h.state.phases.tasks!.expansion).toBeDefined();
    expect(h.status('tasks[2].code')).toBe('completed');
    expect(h.status('tasks[0].test')).toBe('ready');
    expect(h.state.phases['tasks[0].test']!.attempt).toBe(2);
  });

  it('rewinding what the map reads expands it again: instances keep their attempt numbers, extra ones leave the run', () => {
    const h = new Harness(simpleMap());
    h.run('plan');
    h.run('brief');
    h.run('each', json(['a', 'b', 'c']));
    h.run('each[0]');
    h.run('each[1]');
    expect(h.status('each[2]')).toBe('ready');

    const rewound = h.apply({ type: 'rewind', phaseId: 'plan', by: 'ann' });
    expect(rewound.ok && rewound.commands).toContainEqual({ type: 'dequeue', phaseId: 'each[2]' });
    expect(h.state.order).toEqual(['plan', 'brief', 'each', 'report']);
    expect(h.state.instances.each).toBeUndefined();
    expect(h.state.phases['each[0]']).toMatchObject({ status: 'blocked', attempt: 1 });
    h.run('plan', json(['only']));
    h.run('each', json(['only']));
    expect(h.state.phases.each!.attempt).toBe(2);
    expect(h.state.order).toEqual(['plan', 'brief', 'each[0]', 'each', 'report']);
    expect(h.state.phases['each[0]']).toMatchObject({ status: 'ready', attempt: 2 });
    // A late result of an instance that left the run changes nothing; a decision on it is refused.
    const late = h.apply({ type: 'succeed', phaseId: 'each[2]', attempt: 1, output: text('late') });
    expect(late.ok && late.ignored).toMatch(/no longer part of run/);
    const skip = h.apply({ type: 'skip', phaseId: 'each[1]', by: 'ann' });
    expect(!skip.ok && skip.error.code).toBe('INVALID_TRANSITION');
    h.run('each[0]');
    h.run('each', json(['only-out']));
    h.run('report');
    expect(h.state.status).toBe('completed');
  });

  it('rewinding the map itself reads the items again', () => {
    const h = new Harness(simpleMap());
    h.run('plan', json(['a']));
    h.run('brief');
    h.run('each', json(['a']));
    h.run('each[0]');
    h.run('each', json(['a-out']));
    h.apply({ type: 'rewind', phaseId: 'each', by: 'ann' });
    expect(h.state.phases.each).toMatchObject({ status: 'ready', attempt: 3 });
    expect(h.state.phases.each!.expansion).toBeUndefined();
    expect(h.status('each[0]')).toBe('blocked');
    expect(h.state.order).not.toContain('each[0]');
  });

  it('a fail-fast in an element cancels the run; retrying it reopens the run and the map keeps its items', () => {
    const h = new Harness(
      simpleMap({ phase: { kind: 'tool', run: 'w', onFailure: 'fail-fast', retry: once } }),
    );
    h.run('plan');
    h.run('brief');
    h.run('each', json(['a', 'b']));
    h.fail('each[0]');
    expect(h.state.status).toBe('failed');
    expect(h.status('each')).toBe('cancelled');
    expect(h.status('each[1]')).toBe('cancelled');
    h.apply({ type: 'retry', phaseId: 'each[0]', by: 'ann' });
    expect(h.state.status).toBe('running');
    expect(h.status('each')).toBe('blocked');
    expect(h.state.phases.each!.expansion?.elements).toHaveLength(2);
    expect(h.status('each[1]')).toBe('ready');
    h.run('each[0]');
    h.run('each[1]');
    h.run('each', json(['x', 'y']));
    h.run('report');
    expect(h.state.status).toBe('completed');
  });

  it('a fork takes over a finished map with its collected output, not its instances', () => {
    const h = new Harness(simpleMap());
    h.run('plan');
    h.run('brief');
    h.run('each', json(['a']));
    h.run('each[0]');
    h.run('each', json(['a-out']));
    expect(planFork(h.state).map((p) => p.phaseId)).toEqual(['plan', 'brief', 'each']);
    // An unfinished map is not taken over; its instances never are.
    const partial = new Harness(simpleMap());
    partial.run('plan');
    partial.run('brief');
    partial.run('each', json(['a', 'b']));
    partial.run('each[0]');
    expect(planFork(partial.state).map((p) => p.phaseId)).toEqual(['plan', 'brief']);
  });
});
