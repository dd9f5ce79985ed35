import { describe, expect, it } from 'vitest';
import { foldEvents } from './apply-event.js';
import { step } from './step.js';
import { Harness, phase, workflow } from './step-harness.test-support.js';
import { checkTitle, MAX_TITLE_LENGTH } from './title.js';

describe('run titles', () => {
  it('a person titles a run: run_titled with the trimmed title, folded into the state', () => {
    const h = new Harness(workflow(phase('a')));
    expect(h.state.title).toBeUndefined();
    const titled = h.apply({ type: 'set_title', title: '  Release notes for 2.0 ', by: 'ann' });
    expect(titled).toMatchObject({
      ok: true,
      events: [{ type: 'run_titled', title: 'Release notes for 2.0', by: 'ann', source: 'person' }],
      commands: [],
    });
    expect(h.state).toMatchObject({ title: 'Release notes for 2.0', titleSetByPerson: true });
    expect(h.state.status).toBe('running');
  });

  it('a title from an output names the run until a person titles it, and is ignored after that', () => {
    const h = new Harness(workflow(phase('a')));
    h.apply({ type: 'set_title', title: 'Drafted by the planner', by: 'worker', source: 'output' });
    expect(h.state.title).toBe('Drafted by the planner');
    expect(h.state.titleSetByPerson).toBeUndefined();
    // A later output may rename it again: no person chose a title yet.
    h.apply({ type: 'set_title', title: 'Planner, second try', by: 'worker', source: 'output' });
    expect(h.state.title).toBe('Planner, second try');

    h.apply({ type: 'set_title', title: 'Chosen by Ann', by: 'ann' });
    const length = h.log.length;
    const late = h.apply({ type: 'set_title', title: 'Planner, third try', by: 'worker', source: 'output' });
    expect(late).toMatchObject({
      ok: true,
      events: [],
      ignored: "a person titled the run; an output's title does not replace it",
    });
    expect(h.log).toHaveLength(length);
    expect(h.state).toMatchObject({ title: 'Chosen by Ann', titleSetByPerson: true });
    // A person may still rename it.
    h.apply({ type: 'set_title', title: 'Renamed by Bo', by: 'bo', source: 'person' });
    expect(h.state.title).toBe('Renamed by Bo');
  });

  it('renames a run of any status, ended ones included, without moving it', () => {
    const h = new Harness(workflow(phase('a')));
    h.run('a');
    expect(h.state.status).toBe('completed');
    const renamed = h.apply({ type: 'set_title', title: 'Done and named', by: 'ann' });
    expect(renamed).toMatchObject({ ok: true, events: [{ type: 'run_titled' }], commands: [] });
    expect(h.state).toMatchObject({ status: 'completed', title: 'Done and named' });

    const cancelled = new Harness(workflow(phase('a')));
    cancelled.apply({ type: 'cancel', by: 'ann' });
    expect(cancelled.apply({ type: 'set_title', title: 'Abandoned idea', by: 'ann' }).ok).toBe(true);
    expect(cancelled.state).toMatchObject({ status: 'cancelled', title: 'Abandoned idea' });

    const paused = new Harness(workflow(phase('a')));
    paused.apply({ type: 'pause', by: 'ann' });
    expect(paused.apply({ type: 'set_title', title: 'On hold', by: 'ann' })).toMatchObject({
      ok: true,
      commands: [],
    });
    expect(paused.state).toMatchObject({ status: 'paused', title: 'On hold' });
  });

  it('refuses an empty, too long or multi-line title with INVALID_INPUT, saying why', () => {
    const h = new Harness(workflow(phase('a')));
    const refusals = [
      ['   ', 'a run title must not be empty'],
      ['x'.repeat(MAX_TITLE_LENGTH + 1), `at most ${MAX_TITLE_LENGTH} characters; this one has 201`],
      ['two\nlines', 'without control characters'],
      ['tab\there', 'without control characters'],
      ['bell\u0007', 'without control characters'],
      ['c1\u0085control', 'without control characters'],
    ] as const;
    for (const [title, message] of refusals) {
      const refused = h.apply({ type: 'set_title', title, by: 'ann' });
      expect(refused).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
      expect(!refused.ok && refused.error.message).toContain(message);
    }
    expect(h.state.title).toBeUndefined();
    expect(h.types()).not.toContain('run_titled');
  });

  it('counts characters, not UTF-16 units: 200 emoji fit, and outer spaces do not count', () => {
    expect(checkTitle(` ${'🚀'.repeat(MAX_TITLE_LENGTH)} `)).toEqual({
      title: '🚀'.repeat(MAX_TITLE_LENGTH),
    });
    expect(checkTitle('Ünïcode — “quoted” ✓')).toEqual({ title: 'Ünïcode — “quoted” ✓' });
  });

  it('a run created with a title starts titled by its creator', () => {
    const created = step(
      undefined,
      {
        type: 'create',
        runId: 'r1',
        workflow: workflow(phase('a')),
        fixtures: {},
        inputs: {},
        by: 'ann',
        title: ' Nightly import ',
      },
      1_000,
    );
    if (!created.ok) throw new Error(created.error.message);
    expect(created.events.slice(0, 2)).toMatchObject([
      { type: 'run_created', seq: 1 },
      { type: 'run_titled', seq: 2, title: 'Nightly import', by: 'ann', source: 'person' },
    ]);
    expect(created.state).toMatchObject({ title: 'Nightly import', titleSetByPerson: true });
    expect(foldEvents(undefined, created.events)).toEqual(created.state);

    const refused = step(
      undefined,
      {
        type: 'create',
        runId: 'r2',
        workflow: workflow(phase('a')),
        fixtures: {},
        inputs: {},
        by: 'a',
        title: '',
      },
      1_000,
    );
    expect(refused).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });
});
