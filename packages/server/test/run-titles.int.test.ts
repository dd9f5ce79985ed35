/**
 * A workflow's `title: { from, field }` through the API, on PGlite and on PostgreSQL: a run is
 * named after the output of the phase it names (`GET /api/runs/:id` → `title`), and a title a
 * person gave when starting the run is kept. The workflow ends in a `builtin` phase, run by the
 * runtime's builtin handler with a step defined here.
 */
import type { BuiltinStep } from '@baton/engine';
import { createDefaultHandlers } from '@baton/runtime';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeOnBackends } from '../src/testing/index.js';
import { RunsApi } from './runs-harness.js';

const NAMED = `id: named
title: { from: name, field: title }
phases:
  - id: name
    kind: tool
    run: |
      printf '%s' '{"title":"To-do app\\twith login","words":4}'
  - { id: count, kind: builtin, run: count-words, needs: [name] }
`;

const countWords: BuiltinStep = {
  name: 'count-words',
  description: "counts the words of the needed phase's title",
  input: { type: 'object', required: ['name'] },
  run: (inputs) => ({
    ok: true,
    output: { words: String((inputs.name as { title: string }).title).split(/\s+/).length },
  }),
};
const handlers = createDefaultHandlers([], {}, { [countWords.name]: countWords });

describeOnBackends('run titles from outputs', (backend) => {
  let api: RunsApi | undefined;
  beforeAll(async () => {
    api = await RunsApi.start(backend);
    await api.uploadWorkflow(NAMED);
  });
  afterAll(async () => {
    await api?.close();
  });

  it('names the run after the output of the phase title.from names (control characters as spaces)', async () => {
    const run = await api!.startRun('named');
    expect(run.title).toBeUndefined();
    expect((await api!.drive(run.id, handlers)).status).toBe('completed');
    const view = await api!.call('GET', `/api/runs/${run.id}`);
    expect(view.body).toMatchObject({ status: 'completed', title: 'To-do app with login' });
    const titled = (await api!.events(run.id)).filter((event) => event.type === 'run_titled');
    expect(titled).toMatchObject([{ title: 'To-do app with login', by: 'name', source: 'output' }]);
    const count = await api!.call('GET', `/api/runs/${run.id}/phases/count/versions/1`);
    expect(count.body).toMatchObject({ mediaType: 'application/json' });
    expect(JSON.parse((count.body as unknown as { content: string }).content)).toEqual({ words: 4 });
  });

  it("keeps the title a person gave: the output's is not recorded", async () => {
    const run = await api!.startRun('named', undefined, { title: 'Named by Ann' });
    expect((await api!.drive(run.id, handlers)).status).toBe('completed');
    const view = await api!.call('GET', `/api/runs/${run.id}`);
    expect(view.body).toMatchObject({ status: 'completed', title: 'Named by Ann' });
    const titled = (await api!.events(run.id)).filter((event) => event.type === 'run_titled');
    expect(titled).toMatchObject([{ title: 'Named by Ann', source: 'person' }]);
  });
});
