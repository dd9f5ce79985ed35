import { createHash } from 'node:crypto';
import { createAgentHandler } from '@baton/agents';
import { createDefaultHandlers } from '@baton/runtime';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunsApi } from '../runs-harness.js';
import { OUTPUTS } from '../runs-workflows.js';
import { readZip } from '../read-zip.js';

/** Tools, and inline agents on the offline scripted model. */
const handlers = createDefaultHandlers([
  createAgentHandler({ keys: () => undefined, offline: true, config: { prices: {} } }),
]);

const sha = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const SANDBOX = "sandbox; default-src 'none'";

/**
 * A run's artifacts over HTTP: the versions of each kind of output (a document, JSON, a file tree)
 * after a change request and an edit, their contents, a file of a tree (and paths outside it
 * refused), diffs, and the run as a zip checked file by file; another tenant's run is missing.
 */
export function runArtifactsSuite(api: () => RunsApi): void {
  const get = (path: string, as: 'local' | 'other' | 'none' = 'local') =>
    api().call('GET', path, undefined, { as });
  /** GET with the body as text (contents are not JSON). */
  const getText = async (path: string) => {
    const response = await fetch(`${api().url}${path}`, { headers: api().authorization() });
    return { status: response.status, headers: response.headers, text: await response.text() };
  };
  let run: string;
  const phase = (id: string) => `/api/runs/${run}/phases/${id}/artifacts`;

  beforeAll(async () => {
    await api().uploadWorkflow(OUTPUTS);
    ({ id: run } = await api().startRun('outputs'));
    expect((await api().drive(run, handlers)).status).toBe('waiting');
    const decide = (id: string, body: object) =>
      api().call('POST', `/api/runs/${run}/phases/${id}/decision`, body);
    expect((await decide('notes', { decision: 'request_changes', feedback: 'again' })).status).toBe(200);
    expect((await decide('code', { decision: 'request_changes', feedback: 'add a header' })).status).toBe(
      200,
    );
    const edited = { title: 'Edited', criteria: ['a header row', 'quoted fields'] };
    expect((await decide('spec', { decision: 'edit', content: edited })).status).toBe(200);
    expect((await api().drive(run, handlers)).status).toBe('waiting');
    expect((await decide('notes', { decision: 'approve' })).status).toBe(200);
    expect((await decide('code', { decision: 'approve' })).status).toBe(200);
    expect((await api().store.getRun(run))?.status).toBe('completed');
  });

  describe("a phase's versions", () => {
    it('lists every version after a change request, oldest first, with its attempt, media type, size, hash and time', async () => {
      const answer = await get(phase('notes'));
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      const texts = [1, 2].map((n) => `Release notes\nwritten by attempt ${n}\nthe end\n`);
      expect(answer.body).toEqual({
        runId: run,
        phaseId: 'notes',
        versions: texts.map((text, i) => ({
          version: i + 1,
          attempt: i + 1,
          mediaType: 'text/plain',
          size: Buffer.byteLength(text),
          sha256: sha(text),
          createdAt: expect.stringMatching(ISO) as unknown,
          source: 'attempt',
        })),
      });
      const stored = await api().store.listArtifactVersions(run, 'notes');
      expect(answer.body.versions.map((v: { createdAt: string }) => v.createdAt)).toEqual(
        stored.map((v) => new Date(v.createdAt).toISOString()),
      );
    });

    it('says who made a version by an edit', async () => {
      const answer = await get(phase('spec'));
      expect(answer.body.versions).toMatchObject([
        { version: 1, attempt: 1, mediaType: 'application/json', source: 'attempt' },
        { version: 2, attempt: 1, mediaType: 'application/json', source: 'edit', by: 'tester' },
      ]);
      expect(answer.body.versions[0]).not.toHaveProperty('by');
    });

    it('refuses an unknown phase with a did-you-mean, and a missing run', async () => {
      const typo = await get(`/api/runs/${run}/phases/notse/artifacts`);
      await api().expectRefused(typo, 404, 'PHASE_NOT_FOUND');
      expect(typo.body.error.message).toMatch(/did you mean "notes"/);
      await api().expectRefused(await get('/api/runs/nope/phases/notes/artifacts'), 404, 'RUN_NOT_FOUND');
    });
  });

  describe("a version's content", () => {
    it('answers a document as text/plain, JSON as application/json and a file tree as its manifest, as stored', async () => {
      const notes = await getText(`${phase('notes')}/1`);
      expect(notes.status).toBe(200);
      expect(notes.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      expect(notes.headers.get('content-security-policy')).toBe(SANDBOX);
      expect(notes.text).toBe('Release notes\nwritten by attempt 1\nthe end\n');

      const spec = await getText(`${phase('spec')}/1`);
      expect(spec.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(spec.text).toBe('{"title": "CSV export", "criteria": ["a header row"]}');

      const tree = await getText(`${phase('code')}/1`);
      expect(tree.headers.get('content-type')).toBe('application/vnd.baton.file-tree+json; charset=utf-8');
      expect(tree.text).toBe((await api().store.getArtifact(run, 'code', 1))!.content);
      expect(JSON.parse(tree.text)).toMatchObject({
        files: [{ path: 'README.md' }, { path: 'docs/old.md' }, { path: 'src/export.ts' }],
        summary: 'Wrote the exporter.',
      });
    });

    it('refuses a version the phase does not have (404) and one that is not a whole number (422)', async () => {
      await api().expectRefused(await get(`${phase('notes')}/3`), 404, 'PHASE_NOT_FOUND');
      for (const version of ['0', 'one', '1.5'])
        await api().expectRefused(await get(`${phase('notes')}/${version}`), 422, 'INVALID_REQUEST');
    });
  });

  describe('one file of a file tree', () => {
    it('answers a file by its path, typed by its extension, with its slashes sent as they are or encoded', async () => {
      const code = await getText(`${phase('code')}/1/files/src/export.ts`);
      expect(code.status).toBe(200);
      expect(code.headers.get('content-type')).toBe('text/x-typescript; charset=utf-8');
      expect(code.headers.get('content-security-policy')).toBe(SANDBOX);
      expect(code.text).toBe('export const csv = 1;\n');
      expect((await getText(`${phase('code')}/1/files/src%2Fexport.ts`)).text).toBe(
        'export const csv = 1;\n',
      );
      expect((await getText(`${phase('code')}/2/files/src/export.ts`)).text).toBe('export const csv = 2;\n');
      const readme = await getText(`${phase('code')}/2/files/README.md`);
      expect(readme.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
      expect(readme.text).toBe('# Export\n');
    });

    it('refuses every path the manifest does not list — a removed file, traversals, an absolute path — with 404 FILE_NOT_FOUND', async () => {
      for (const path of [
        'docs/old.md',
        '..%2F..%2F..%2F..%2Fetc%2Fpasswd',
        'src%2F..%2FREADME.md',
        '%2Fetc%2Fpasswd',
        'src%5Cexport.ts',
        'SRC/export.ts',
      ]) {
        const answer = await get(`${phase('code')}/2/files/${path}`);
        await api().expectRefused(answer, 404, 'FILE_NOT_FOUND');
      }
      const typo = await get(`${phase('code')}/2/files/src/exprot.ts`);
      expect(typo.body.error.message).toBe(
        'version 2 of "code" has no file "src/exprot.ts" (did you mean "src/export.ts"?)',
      );
    });

    it('refuses a file of a document (404 FILE_NOT_FOUND) and of a version the phase does not have', async () => {
      const answer = await get(`${phase('notes')}/1/files/README.md`);
      await api().expectRefused(answer, 404, 'FILE_NOT_FOUND');
      expect(answer.body.error.message).toMatch(/not a file tree/);
      await api().expectRefused(await get(`${phase('code')}/9/files/README.md`), 404, 'PHASE_NOT_FOUND');
    });
  });

  describe('the diff of two versions', () => {
    it('diffs two texts as one unified diff', async () => {
      const answer = await get(`${phase('notes')}/diff?from=1&to=2`);
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      expect(answer.body).toMatchObject({
        runId: run,
        phaseId: 'notes',
        kind: 'text',
        from: { version: 1, attempt: 1, source: 'attempt' },
        to: { version: 2, attempt: 2, source: 'attempt' },
      });
      expect(answer.body.patch).toBe(
        [
          '--- notes@1',
          '+++ notes@2',
          '@@ -1,3 +1,3 @@',
          ' Release notes',
          '-written by attempt 1',
          '+written by attempt 2',
          ' the end',
          '',
        ].join('\n'),
      );
      expect((await get(`${phase('notes')}/diff?from=2&to=2`)).body.patch).toBe('');
    });

    it('diffs JSON pretty-printed', async () => {
      const answer = await get(`${phase('spec')}/diff?from=1&to=2`);
      expect(answer.body).toMatchObject({ kind: 'text', to: { source: 'edit', by: 'tester' } });
      expect(answer.body.patch).toBe(
        [
          '--- spec@1',
          '+++ spec@2',
          '@@ -1,6 +1,7 @@',
          ' {',
          '-  "title": "CSV export",',
          '+  "title": "Edited",',
          '   "criteria": [',
          '-    "a header row"',
          '+    "a header row",',
          '+    "quoted fields"',
          '   ]',
          ' }',
          '',
        ].join('\n'),
      );
    });

    it('diffs two file trees file by file: added, removed, changed, each with its patch; unchanged files left out', async () => {
      const answer = await get(`${phase('code')}/diff?from=1&to=2`);
      expect(answer.body).toMatchObject({ kind: 'file-tree', from: { version: 1 }, to: { version: 2 } });
      expect(answer.body.files).toEqual([
        {
          path: 'docs/old.md',
          change: 'removed',
          patch: '--- a/docs/old.md\n+++ /dev/null\n@@ -1,1 +0,0 @@\n-old\n',
        },
        {
          path: 'src/csv.ts',
          change: 'added',
          patch: '--- /dev/null\n+++ b/src/csv.ts\n@@ -0,0 +1,1 @@\n+export const header = true;\n',
        },
        {
          path: 'src/export.ts',
          change: 'changed',
          patch:
            '--- a/src/export.ts\n+++ b/src/export.ts\n@@ -1,1 +1,1 @@\n-export const csv = 1;\n+export const csv = 2;\n',
        },
      ]);
      expect(
        (await get(`${phase('code')}/diff?from=2&to=1`)).body.files.map((f: { change: string }) => f.change),
      ).toEqual(['added', 'removed', 'changed']);
    });

    it('refuses a missing or malformed version (422) and one the phase does not have (404)', async () => {
      for (const query of ['from=1', 'to=2', 'from=x&to=2', 'from=0&to=1', 'from=1&to=2&extra=1'])
        await api().expectRefused(await get(`${phase('notes')}/diff?${query}`), 422, 'INVALID_REQUEST');
      await api().expectRefused(await get(`${phase('notes')}/diff?from=1&to=7`), 404, 'PHASE_NOT_FOUND');
    });
  });

  describe('the run as a zip', () => {
    it('streams a zip laid out as a project, checked file by file, with the run in baton-run.json', async () => {
      const response = await fetch(`${api().url}/api/runs/${run}/download`, {
        headers: api().authorization(),
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/zip');
      expect(response.headers.get('content-disposition')).toBe(
        `attachment; filename="${run}.zip"; filename*=UTF-8''${run}.zip`,
      );
      const entries = await readZip(Buffer.from(await response.arrayBuffer()));
      expect(entries.map((entry) => entry.name)).toEqual([
        'baton-run.json',
        'notes.md',
        'spec.json',
        'code/README.md',
        'code/src/csv.ts',
        'code/src/export.ts',
      ]);
      const text = Object.fromEntries(entries.map((entry) => [entry.name, entry.text]));
      expect(text['notes.md']).toBe('Release notes\nwritten by attempt 2\nthe end\n');
      expect(text['spec.json']).toBe((await api().store.getArtifact(run, 'spec', 2))!.content);
      expect(JSON.parse(text['spec.json']!)).toEqual({
        title: 'Edited',
        criteria: ['a header row', 'quoted fields'],
      });
      expect(text['code/README.md']).toBe('# Export\n');
      expect(text['code/src/csv.ts']).toBe('export const header = true;\n');
      expect(text['code/src/export.ts']).toBe('export const csv = 2;\n');

      // The run as GET /api/runs/:id answers it, without the outputs the zip holds as files.
      const view = (await get(`/api/runs/${run}`)).body as { phases: { id: string; output: unknown }[] };
      const inZip = new Set(['notes', 'spec', 'code']);
      expect(view.phases.filter((p) => inZip.has(p.id)).every((p) => p.output !== null)).toBe(true);
      expect(JSON.parse(text['baton-run.json']!)).toEqual({
        ...view,
        phases: view.phases.map((p) => (inZip.has(p.id) ? { ...p, output: null } : p)),
        contents: [
          { phaseId: 'notes', version: 2, mediaType: 'text/plain', path: 'notes.md' },
          { phaseId: 'spec', version: 2, mediaType: 'application/json', path: 'spec.json' },
          { phaseId: 'code', version: 2, mediaType: 'application/vnd.baton.file-tree+json', path: 'code/' },
        ],
      });
      const notes = (await api().store.listArtifactVersions(run, 'notes'))[1]!;
      expect(entries[1]!.mtime.getTime()).toBe(Math.floor(notes.createdAt / 1000) * 1000);
    });

    it('refuses a missing run with 404 before anything is sent', async () => {
      await api().expectRefused(await get('/api/runs/nope/download'), 404, 'RUN_NOT_FOUND');
    });
  });

  describe('tenants and credentials', () => {
    it("answers another tenant's run as missing on every artifacts route", async () => {
      for (const path of [
        phase('notes'),
        `${phase('notes')}/1`,
        `${phase('code')}/1/files/README.md`,
        `${phase('notes')}/diff?from=1&to=2`,
        `/api/runs/${run}/download`,
      ])
        await api().expectRefused(await get(path, 'other'), 404, 'RUN_NOT_FOUND');
    });

    it('refuses every artifacts route without credentials (401)', async () => {
      for (const path of [
        phase('notes'),
        `${phase('notes')}/1`,
        `${phase('code')}/1/files/README.md`,
        `${phase('notes')}/diff?from=1&to=2`,
        `/api/runs/${run}/download`,
      ])
        await api().expectRefused(await get(path, 'none'), 401, 'UNAUTHENTICATED');
    });
  });
}
