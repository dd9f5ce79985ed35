/**
 * Large contents through `baton serve`, on the embedded database (its blob directory is
 * `$BATON_HOME/blobs`) and on PostgreSQL (a blob directory given, as servers on PostgreSQL must
 * share one): a phase's output above the threshold is a file under `<blobs>/<tenant>/<sha256>`,
 * and the API serves it exactly as it would have from the database; one below stays there.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createDefaultHandlers } from '@baton/runtime';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeOnBackends } from '../src/testing/index.js';
import { readZip } from './read-zip.js';
import { startServe, waitFor, type ServeHarness } from './serve-harness.js';

const THRESHOLD = 4096;

/** `make` prints ~90 KB (characters of 1 to 4 bytes among them); `small` a word. */
const LARGE = `
id: large
phases:
  - id: make
    kind: tool
    run: |
      i=0
      while [ $i -lt 2000 ]; do echo "line $i: é € 𝄞 of a large output"; i=$((i+1)); done
  - { id: small, kind: tool, run: echo small }
`;

interface Version {
  readonly size: number;
  readonly sha256: string;
  readonly mediaType: string;
  readonly content: string;
}

describeOnBackends('baton serve: large contents in the blob directory', (backend) => {
  let api: ServeHarness;
  let shared: string | undefined;
  let blobs: string;

  beforeAll(async () => {
    if (backend.kind === 'postgres') shared = await mkdtemp(path.join(tmpdir(), 'baton-shared-blobs-'));
    api = await startServe(backend, {
      handlers: createDefaultHandlers(),
      blobThreshold: THRESHOLD,
      ...(shared === undefined ? {} : { blobsDir: shared }),
    });
    blobs = shared ?? path.join(api.server.home, 'blobs');
    await api.upload(LARGE);
  });

  afterAll(async () => {
    await api?.close();
    if (shared !== undefined) await rm(shared, { recursive: true, force: true });
  });

  it('stores an output above the threshold as a file and serves it byte for byte; a small one stays in the database', async () => {
    const run = await api.start('large');
    const done = await waitFor(async () => {
      const answer = await api.call('GET', `/api/runs/${run.id}`);
      return answer.body.status === 'running' ? undefined : answer.body;
    }, 'the run to finish');
    expect(done.status).toBe('completed');

    const answer = await api.call('GET', `/api/runs/${run.id}/phases/make/versions/1`);
    expect(answer.status).toBe(200);
    const version = answer.body as unknown as Version;
    const bytes = Buffer.from(version.content, 'utf8');
    expect(bytes.byteLength).toBeGreaterThan(THRESHOLD);
    expect(version.content).toContain('line 1999: é € 𝄞 of a large output');
    expect(version.size).toBe(bytes.byteLength);
    expect(version.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    // The file is the content, under the tenant and the content's hash.
    const file = await readFile(path.join(blobs, 'local', version.sha256));
    expect(file.equals(bytes)).toBe(true);

    const small = (await api.call('GET', `/api/runs/${run.id}/phases/small/versions/1`))
      .body as unknown as Version;
    expect(small.content.trim()).toBe('small');
    expect(await readdir(path.join(blobs, 'local'))).toEqual([version.sha256]);

    // The artifacts routes serve it as they would from the database: listed with its size and
    // hash, its content byte for byte, and in the run's zip as make.md, byte for byte.
    const artifacts = `/api/runs/${run.id}/phases/make/artifacts`;
    const listed = (await (await api.get(artifacts)).json()) as { versions: unknown[] };
    expect(listed.versions).toEqual([
      expect.objectContaining({ version: 1, size: bytes.byteLength, sha256: version.sha256 }),
    ]);
    const content = await api.get(`${artifacts}/1`);
    expect(content.status).toBe(200);
    expect(Buffer.from(await content.arrayBuffer()).equals(bytes)).toBe(true);
    const zip = await api.get(`/api/runs/${run.id}/download`);
    expect(zip.status).toBe(200);
    const entries = await readZip(Buffer.from(await zip.arrayBuffer()));
    expect(entries.find((entry) => entry.name === 'make.md')?.text).toBe(version.content);
  });
});
