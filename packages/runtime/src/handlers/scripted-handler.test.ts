import type { FixtureSet, PhaseResult } from '@baton/engine';
import { describe, expect, it } from 'vitest';
import { recordingAttemptContext } from '@baton/engine/testing';
import type { PhaseTaskOverrides } from '../testing/phase-task.js';
import { makePhaseTask } from '../testing/phase-task.js';
import { createScriptedHandler } from './scripted-handler.js';

const fixtures: FixtureSet = {
  'fixtures/release-notes.yaml': {
    draft: {
      output: 'default draft',
      attempts: { '1': { fail: 'model overloaded' }, '2': { output: { title: 'v2', items: [1] } } },
    },
    summary: { output: '{"ok": true}' },
    slow: { output: 'late', delayMs: 60_000 },
    empty: { attempts: { '1': { output: 'only the first' } } },
    'tasks[*].review': { output: 'every element' },
    'tasks[1].review': { output: 'element 1' },
  },
  'fixtures/other.yaml': { draft: { output: 'from the phase file' } },
};

function execute(
  phaseId: string,
  attempt: number,
  overrides: PhaseTaskOverrides = {},
  signal: AbortSignal = new AbortController().signal,
): Promise<PhaseResult> {
  const task = makePhaseTask({
    phaseId,
    attempt,
    fixtures,
    workflow: { fixtures: 'fixtures/release-notes.yaml' },
    ...overrides,
    phase: { kind: 'agent', agent: 'scripted', run: undefined, ...overrides.phase },
  });
  return createScriptedHandler().execute(task, signal, recordingAttemptContext());
}

describe('createScriptedHandler', () => {
  it('is the agent handler of the scripted agent', () => {
    const handler = createScriptedHandler();
    expect(handler.kind).toBe('agent');
    expect(handler.agent).toBe('scripted');
  });

  it('answers each attempt from its own fixture and falls back to the entry output', async () => {
    expect(await execute('draft', 1)).toEqual({
      ok: false,
      retryable: true,
      error: { code: 'SCRIPTED_FAILURE', message: 'model overloaded' },
    });
    const second = await execute('draft', 2);
    expect(second.ok && second.output).toMatchObject({
      mediaType: 'application/json',
      text: '{\n  "title": "v2",\n  "items": [\n    1\n  ]\n}',
    });
    const third = await execute('draft', 3);
    expect(third.ok && third.output).toMatchObject({ mediaType: 'text/plain', text: 'default draft' });
  });

  it('treats a string output that is a JSON object as JSON, kept as written', async () => {
    const result = await execute('summary', 1);
    expect(result.ok && result.output).toMatchObject({ mediaType: 'application/json', text: '{"ok": true}' });
  });

  it('prefers the fixtures file named on the phase over the workflow default', async () => {
    const result = await execute('draft', 1, { phase: { fixtures: 'fixtures/other.yaml' } });
    expect(result.ok && result.output.text).toBe('from the phase file');
  });

  it('names the file and the key it looked for when no fixture answers the phase', async () => {
    expect(await execute('publish', 2)).toEqual({
      ok: false,
      retryable: false,
      error: {
        code: 'FIXTURE_MISSING',
        message:
          'no fixture for phase "publish" attempt 2 in fixtures/release-notes.yaml — add a "publish" entry ' +
          '(with "output" or "attempts: {2: …}")',
      },
    });
  });

  it("answers a map's instance from its own entry, else its template's (tasks[*].review)", async () => {
    const instance = (index: number): PhaseTaskOverrides => ({
      phase: { id: `tasks[${index}].review`, instanceOf: { map: 'tasks', index, template: 'review' } },
    });
    const own = await execute('tasks[1].review', 1, instance(1));
    expect(own.ok && own.output.text).toBe('element 1');
    const shared = await execute('tasks[4].review', 1, instance(4));
    expect(shared.ok && shared.output.text).toBe('every element');
    const missing = await execute('other[0].code', 1, {
      phase: { id: 'other[0].code', instanceOf: { map: 'other', index: 0, template: 'code' } },
    });
    expect('error' in missing && missing.error.message).toContain(
      'add a "other[0].code" entry (or "other[*].code" for every element)',
    );
  });

  it('reports a missing fixture when the entry has no answer for the attempt', async () => {
    expect((await execute('empty', 1)).ok).toBe(true);
    const result = await execute('empty', 2);
    expect(result).toMatchObject({ ok: false, retryable: false, error: { code: 'FIXTURE_MISSING' } });
    expect('error' in result && result.error.message).toContain('"empty" entry has no "output" or "fail"');
  });

  it('reports a missing fixture when the fixtures file was not loaded', async () => {
    const result = await execute('draft', 1, { phase: { fixtures: 'fixtures/missing.yaml' } });
    expect('error' in result && result.error.message).toContain('fixtures/missing.yaml');
  });

  it('refuses agents other than scripted without retrying', async () => {
    const result = await execute('draft', 1, { phase: { agent: 'claude' } });
    expect(result).toMatchObject({ ok: false, retryable: false, error: { code: 'UNKNOWN_AGENT' } });
  });

  it('waits the fixture delay and stops waiting when the signal aborts', async () => {
    const controller = new AbortController();
    // The fixture waits 60 s: a wait the signal did not stop would outlast the test's timeout.
    const pending = execute('slow', 1, {}, controller.signal);
    setTimeout(() => controller.abort('shutting down'), 50);
    expect(await pending).toEqual({
      ok: false,
      retryable: false,
      error: { code: 'ABORTED', message: 'aborted: shutting down' },
    });
  });
});
