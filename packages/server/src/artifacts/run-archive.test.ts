import type { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { planRunArchive, zipRunArchive } from './run-archive.js';
import { runOf, succeed, T0, testPayload, testPhase, treePayload } from './artifacts.test-support.js';

async function layout(archive: Awaited<ReturnType<typeof planRunArchive>>) {
  return Promise.all(archive.entries.map(async (entry) => [entry.path, await entry.read()] as const));
}

describe("a run's archive", () => {
  it('names a JSON output of a phase called baton-run apart from the run’s own file', async () => {
    const { store, runId } = await runOf(testPhase('baton-run'));
    await succeed(store, runId, 'baton-run', testPayload('{"a": 1}', 'application/json'), T0 + 1);
    const files = await layout(await planRunArchive(store, runId));
    expect(files.map(([path]) => path)).toEqual(['baton-run.json', 'baton-run.output.json']);
    expect(files[1]![1]).toBe('{"a": 1}');
    expect(JSON.parse(files[0]![1])).toMatchObject({
      id: runId,
      contents: [{ phaseId: 'baton-run', version: 1, path: 'baton-run.output.json' }],
    });
  });

  it('takes a waiting phase’s latest version, and nothing of a phase without output or reset to run again', async () => {
    const { store, runId } = await runOf(
      testPhase('draft', { gate: true }),
      testPhase('base'),
      testPhase('code', { needs: ['base'] }),
      testPhase('later', { needs: ['draft'] }),
    );
    await succeed(store, runId, 'draft', testPayload('a draft'), T0 + 1);
    await succeed(store, runId, 'base', testPayload('base 1'), T0 + 2);
    await succeed(store, runId, 'code', treePayload({ 'b/x.ts': 'x', 'a.md': 'a' }), T0 + 3);
    const files = await layout(await planRunArchive(store, runId));
    expect(files.map(([path]) => path)).toEqual([
      'baton-run.json',
      'draft.md',
      'base.md',
      'code/a.md',
      'code/b/x.ts',
    ]);
    expect(Object.fromEntries(files)).toMatchObject({
      'draft.md': 'a draft',
      'code/a.md': 'a',
      'code/b/x.ts': 'x',
    });

    // `code` goes back to blocked until `base` runs again; `base` (ready) still shows its output.
    const rewound = await store.apply(runId, { type: 'rewind', phaseId: 'base', by: 'ana' }, T0 + 4);
    expect(rewound.ok).toBe(true);
    expect((await layout(await planRunArchive(store, runId))).map(([path]) => path)).toEqual([
      'baton-run.json',
      'draft.md',
      'base.md',
    ]);
  });

  it('keeps a tree whose manifest lists an unsafe path out of the file layout: it is a JSON document', async () => {
    const { store, runId } = await runOf(testPhase('code'));
    const tree = treePayload({ 'a.md': 'a' });
    const unsafe = tree.text.replace('"a.md"', '"../a.md"');
    await succeed(
      store,
      runId,
      'code',
      { ...testPayload(unsafe, tree.mediaType), files: tree.files ?? [] },
      T0 + 1,
    );
    const files = await layout(await planRunArchive(store, runId));
    expect(files.map(([path]) => path)).toEqual(['baton-run.json', 'code.json']);
  });

  it('does not repeat in baton-run.json the outputs it holds as files, but keeps the findings a gate shows', async () => {
    const { store, runId } = await runOf(
      testPhase('draft', { gate: true }),
      testPhase('review', {
        needs: ['draft'],
        reviews: 'draft',
        review: { rounds: 3, reReview: true, onRoundsExhausted: 'human', advisory: true },
      }),
    );
    await succeed(store, runId, 'draft', testPayload('a draft'), T0 + 1);
    const verdict = { verdict: 'revise', findings: [{ severity: 'nit', message: 'shorter' }] };
    await succeed(store, runId, 'review', testPayload(JSON.stringify(verdict), 'application/json'), T0 + 2);
    const files = await layout(await planRunArchive(store, runId));
    expect(files.map(([path]) => path)).toEqual(['baton-run.json', 'draft.md', 'review.json']);
    const run = JSON.parse(files[0]![1]) as {
      phases: { id: string; output: unknown; waiting?: { recommendation?: { findings: unknown } } }[];
      contents: { phaseId: string; path: string }[];
    };
    expect(run.phases.map((phase) => [phase.id, phase.output])).toEqual([
      ['draft', null],
      ['review', verdict],
    ]);
    expect(run.phases[0]!.waiting?.recommendation?.findings).toEqual(verdict.findings);
    expect(run.contents.map((content) => content.path)).toEqual(['draft.md', 'review.json']);
  });

  it('ends the zip stream with an error when a content cannot be read', async () => {
    const zip = zipRunArchive({
      runId: 'r',
      filename: 'r.zip',
      entries: [
        { path: 'a.md', mtime: new Date(T0), read: () => Promise.reject(new Error('the store is gone')) },
      ],
    });
    await expect(consume(zip)).rejects.toThrow('the store is gone');
  });

  it('refuses a run that does not exist', async () => {
    const { store } = await runOf(testPhase('a'));
    await expect(planRunArchive(store, 'nope')).rejects.toMatchObject({ code: 'RUN_NOT_FOUND' });
  });
});

async function consume(stream: Readable): Promise<number> {
  let bytes = 0;
  for await (const chunk of stream) bytes += (chunk as Buffer).length;
  return bytes;
}
