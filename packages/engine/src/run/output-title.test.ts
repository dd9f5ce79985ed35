import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Harness, json, phase, text, workflow } from './step-harness.test-support.js';
import { planFork } from './fork.js';
import { titleFromOutput } from './output-title.js';
import { checkTitle, MAX_TITLE_LENGTH } from './title.js';
import type { WorkflowDefinition } from '../types.js';

const titled = (
  title: WorkflowDefinition['title'],
  ...phases: Parameters<typeof workflow>
): WorkflowDefinition => ({
  ...workflow(...phases),
  ...(title === undefined ? {} : { title }),
});

describe('titleFromOutput', () => {
  it("takes a JSON output's field, or the first non-empty line of a text output", () => {
    expect(titleFromOutput(json({ title: 'To-do app with login', words: 4 }), 'title')).toEqual({
      title: 'To-do app with login',
    });
    expect(titleFromOutput(text('\n\n  # To-do app\n\nA spec for…'))).toEqual({ title: 'To-do app' });
    expect(titleFromOutput(text('Plain first line\r\nsecond'))).toEqual({ title: 'Plain first line' });
    expect(titleFromOutput(json('A JSON string\nwith two lines'))).toEqual({ title: 'A JSON string' });
  });

  it('turns control characters into spaces and collapses white space', () => {
    expect(titleFromOutput(json({ t: 'Tabs\there,\u0007bells  and\u0085more ' }), 't')).toEqual({
      title: 'Tabs here, bells and more',
    });
  });

  it('cuts a long title at a word boundary, ending with an ellipsis', () => {
    const words = Array.from({ length: 60 }, (_, i) => `word${i}`).join(' ');
    const result = titleFromOutput(text(words));
    expect('title' in result && result.title).toMatch(/^word0 word1 .* word\d+…$/);
    if (!('title' in result)) return;
    expect([...result.title].length).toBeLessThanOrEqual(MAX_TITLE_LENGTH);
    expect(words.startsWith(result.title.slice(0, -1))).toBe(true);
    expect(words[result.title.length - 1]).toBe(' ');
    // One long word has no boundary: it is cut where the limit falls.
    const long = titleFromOutput(text('x'.repeat(500)));
    expect(long).toEqual({ title: `${'x'.repeat(MAX_TITLE_LENGTH - 1)}…` });
  });

  it('says why an output gives no title', () => {
    expect(titleFromOutput(text('just text'), 'title')).toEqual({
      problem: 'the output is text, not JSON, so it has no field "title"',
    });
    expect(titleFromOutput(json([1]), 'title')).toEqual({
      problem: 'the output is not a JSON object, so it has no field "title"',
    });
    expect(titleFromOutput(json({ name: 'x' }), 'title')).toEqual({
      problem: 'the output has no field "title"',
    });
    expect(titleFromOutput(json({ title: 3 }), 'title')).toEqual({
      problem: 'its field "title" is a number, not text',
    });
    expect(titleFromOutput(json({ title: ' \n\t ' }), 'title')).toEqual({
      problem: 'its field "title" is empty',
    });
    expect(titleFromOutput(json({ title: 'x' }))).toEqual({
      problem: 'the output is JSON (an object): set title.field to the field that holds the title',
    });
    expect(titleFromOutput(text('  \n \n'))).toEqual({ problem: 'the output is empty' });
    // An inherited property is no field of the output.
    expect(titleFromOutput(json({}), 'constructor')).toEqual({
      problem: 'the output has no field "constructor"',
    });
  });

  it('property: any text gives a title a person could have set, or says why not', () => {
    const anyText = fc.oneof(fc.string({ maxLength: 600 }), fc.string({ unit: 'binary', maxLength: 600 }));
    fc.assert(
      fc.property(anyText, (value) => {
        const fromField = titleFromOutput(json({ t: value }), 't');
        // Only a value with nothing but white space and control characters gives no title.
        expect('problem' in fromField).toBe(value.replace(/\p{Cc}/gu, ' ').trim() === '');
        for (const result of [fromField, titleFromOutput(text(value))]) {
          if ('problem' in result) continue;
          expect(checkTitle(result.title)).toEqual({ title: result.title });
          expect([...result.title].length).toBeLessThanOrEqual(MAX_TITLE_LENGTH);
        }
      }),
    );
  });

  it('property: a title that fits is kept word for word, only its white space normalised', () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[A-Za-z0-9äé-]{1,12}$/), { minLength: 1, maxLength: 15 }),
        (words) => {
          const spaced = words.join(' \t ');
          expect(titleFromOutput(json({ t: spaced }), 't')).toEqual({ title: words.join(' ') });
        },
      ),
    );
  });
});

describe('a run titled from an output', () => {
  it('names the run when the phase succeeds (run_titled by the phase, source output)', () => {
    const h = new Harness(
      titled({ from: 'title', field: 'title' }, phase('spec'), phase('title', { needs: ['spec'] })),
    );
    h.run('spec', text('# Spec'));
    expect(h.state.title).toBeUndefined();
    const before = h.log.length;
    h.run('title', json({ title: 'To-do app with login' }));
    const events = h.log.slice(before);
    expect(events.map((e) => e.type)).toEqual([
      'phase_started',
      'phase_output',
      'run_titled',
      'phase_completed',
      'run_completed',
    ]);
    expect(events[2]).toMatchObject({
      type: 'run_titled',
      title: 'To-do app with login',
      by: 'title',
      source: 'output',
    });
    expect(h.state).toMatchObject({ title: 'To-do app with login', status: 'completed' });
    expect(h.state.titleSetByPerson).toBeUndefined();
  });

  it("keeps a person's title: an output never replaces it", () => {
    const h = new Harness(titled({ from: 'a' }, phase('a')));
    h.apply({ type: 'set_title', title: 'Named by Ann', by: 'ann' });
    const before = h.log.length;
    h.run('a', text('From the output'));
    expect(h.log.slice(before).map((e) => e.type)).toEqual([
      'phase_started',
      'phase_output',
      'phase_completed',
      'run_completed',
    ]);
    expect(h.state.title).toBe('Named by Ann');
  });

  it('records a warning on the phase when its output holds no title, and the run keeps its title', () => {
    const h = new Harness(titled({ from: 'a', field: 'title' }, phase('a')));
    const before = h.log.length;
    h.run('a', json({ name: 'x' }));
    expect(h.log[before + 2]).toMatchObject({
      type: 'phase_warning',
      phaseId: 'a',
      attempt: 1,
      code: 'TITLE_UNUSABLE',
      message: 'the run keeps its title: the output has no field "title"',
    });
    expect(h.state.title).toBeUndefined();
    expect(h.state.phases.a?.warnings).toMatchObject([{ code: 'TITLE_UNUSABLE' }]);
  });

  it('takes no title from an output the schema refuses, nor from another phase', () => {
    const h = new Harness(
      titled(
        { from: 'a', field: 'title' },
        phase('a', { output: { type: 'object', required: ['ok'] } }),
        phase('b', { needs: ['a'] }),
      ),
    );
    h.run('a', json({ title: 'Refused' }));
    expect(h.state.title).toBeUndefined();
    expect(h.state.phases.a?.status).toBe('ready');
    h.now += 60_000; // past the retry's backoff
    h.run('a', json({ ok: true, title: 'Accepted' }));
    h.run('b', json({ title: 'Not this one' }));
    expect(h.state.title).toBe('Accepted');
  });

  it("a person's edit at the gate names the run after the edited output", () => {
    const h = new Harness(titled({ from: 'a', field: 'title' }, phase('a', { gate: true })));
    h.run('a', json({ title: 'Draft name' }));
    expect(h.state.title).toBe('Draft name');
    h.apply({
      type: 'decide',
      phaseId: 'a',
      decision: { kind: 'edit', output: json({ title: 'Edited name' }) },
      by: 'ann',
    });
    expect(h.state).toMatchObject({ title: 'Edited name', status: 'completed' });
    expect(h.state.titleSetByPerson).toBeUndefined();
  });

  it('a fork that takes the phase over is named after its copied output, without a warning when it gives none', () => {
    const wf = titled(
      { from: 'a', field: 'title' },
      phase('a'),
      phase('b', { needs: ['a'] }),
      phase('c', { needs: ['b'] }),
    );
    const source = new Harness(wf);
    source.run('a', json({ title: 'To-do app' }));
    source.run('b', json({ title: 'Not this one' }));
    const phases = planFork(source.state, 'c').map((entry) => ({
      phaseId: entry.phaseId,
      status: entry.status,
      output: json({ title: entry.phaseId === 'a' ? 'To-do app' : 'Not this one' }),
    }));
    const fork = new Harness(wf, {}, { runId: 'r1', from: 'c', phases });
    expect(fork.state.title).toBe('To-do app');
    expect(fork.log.find((e) => e.type === 'run_titled')).toMatchObject({ by: 'a', source: 'output' });

    // An output without a title copied over: no title, and no warning on a phase that never ran here.
    const untitled = titled({ from: 'a', field: 'name' }, phase('a'), phase('b', { needs: ['a'] }));
    const copy = new Harness(
      untitled,
      {},
      {
        runId: 'r1',
        from: 'b',
        phases: [{ phaseId: 'a', status: 'completed', output: json({ title: 'x' }) }],
      },
    );
    expect(copy.state.title).toBeUndefined();
    expect(copy.types()).toEqual(['run_created', 'phase_copied', 'phase_ready']);
  });
});
