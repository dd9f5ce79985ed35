/**
 * Large contents off the database, checked against each driver: above the threshold an artifact's
 * content or a file of a file tree is a file of the blob store (`<dir>/<tenant>/<sha256>`), its row
 * holding the hash, size and key but no content; below it the content stays in the row; reads
 * return the same text either way; tenants never see each other's.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FileBlob, OutputPayload, RunStore, ScopedRunStore } from '@baton/engine';
import { testPayload, testPhase, testWorkflow } from '@baton/engine/testing';
import {
  createFilesystemBlobStore,
  createSqlRunStore,
  isStoreError,
  StoreError,
  type Db,
} from '../src/index.js';
import { borrowed } from './sql-store-checks.js';

const T0 = 1_700_000_000_000;
/** A small threshold keeps the test's contents small; the default is 256 KiB. */
const THRESHOLD = 1024;
const wf = testWorkflow('blobs', testPhase('x'));

function sha(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function file(text: string): FileBlob {
  return { sha256: sha(text), size: Buffer.byteLength(text), text };
}

/** A text of `bytes` UTF-8 bytes or a few more, with characters of 1 to 4 bytes and a NUL. */
function largeText(bytes: number, seed: string): string {
  const unit = `${seed} é € 𝄞 \u0000 line\n`;
  return unit.repeat(Math.ceil(bytes / Buffer.byteLength(unit)));
}

/** Defines the checks; `openDb` gives a migrated database the suite may write to and closes after. */
export function blobContentChecks(name: string, openDb: () => Promise<Db>): void {
  describe(`large contents in the blob store: ${name}`, () => {
    let db: Db;
    let dir: string;
    let store: ScopedRunStore;

    beforeAll(async () => {
      db = await openDb();
      dir = await mkdtemp(path.join(tmpdir(), 'baton-store-blobs-'));
      store = createSqlRunStore(borrowed(db), {
        blobs: { store: createFilesystemBlobStore({ dir }), threshold: THRESHOLD },
      });
    });

    afterAll(async () => {
      await db.close();
      await rm(dir, { recursive: true, force: true });
    });

    /** Runs phase `x` of a new run in `view` to success with `output`. */
    async function runWith(view: RunStore, output: OutputPayload): Promise<string> {
      const runId = `blobs-${randomUUID()}`;
      await view.createRun({ type: 'create', runId, workflow: wf, fixtures: {}, inputs: {}, by: 'ana' }, T0);
      const [task] = await view.claim({ runId, limit: 1, now: T0 + 1 });
      const done = await view.apply(runId, { type: 'succeed', phaseId: 'x', attempt: 1, output }, T0 + 2, {
        leaseToken: task!.lease.token,
      });
      expect(done.ok).toBe(true);
      return runId;
    }

    async function rowOf(runId: string) {
      const rows = await db.query<{ content: Uint8Array | null; blob_key: string | null; size: number }>(
        `SELECT content, blob_key, size FROM artifacts WHERE run_id = $1`,
        [runId],
      );
      return rows[0]!;
    }

    it('keeps a content above the threshold as a file under <tenant>/<sha256>, its row without content, read back byte for byte', async () => {
      const text = largeText(THRESHOLD + 1, 'large');
      const runId = await runWith(store, testPayload(text));
      const row = await rowOf(runId);
      expect(row.content).toBeNull();
      expect(row.blob_key).toBe(`local/${sha(text)}`);
      expect(row.size).toBe(Buffer.byteLength(text));
      expect(await readFile(path.join(dir, 'local', sha(text)), 'utf8')).toBe(text);
      const artifact = await store.getArtifact(runId, 'x', 1);
      expect(artifact?.content).toBe(text);
      expect(artifact).toMatchObject({ runId, phaseId: 'x', version: 1, size: Buffer.byteLength(text) });
      expect(artifact).not.toHaveProperty('blobKey');
      const both = await store.getArtifacts(runId, [
        { phaseId: 'x', version: 1 },
        { phaseId: 'x', version: 1 },
      ]);
      expect(both.map((a) => a?.content)).toEqual([text, text]);
    });

    it('keeps a content at the threshold in its row, and writes no file for it', async () => {
      const text = 'x'.repeat(THRESHOLD);
      const runId = await runWith(store, testPayload(text));
      const row = await rowOf(runId);
      expect(row.blob_key).toBeNull();
      expect(Buffer.from(row.content!).toString('utf8')).toBe(text);
      expect(await readdir(path.join(dir, 'local')).catch(() => [])).not.toContain(sha(text));
      expect((await store.getArtifact(runId, 'x', 1))?.content).toBe(text);
    });

    it('refuses a row with neither a content nor a blob key, or with both', async () => {
      const runId = await runWith(store, testPayload('small'));
      for (const [content, key] of [
        [null, null],
        ['\\x00', 'local/x'],
      ] as const) {
        await expect(
          db.query(
            `INSERT INTO artifacts (run_id, tenant_id, phase_id, attempt, version, media_type, size, sha256, content,
                                    blob_key, created_at)
             VALUES ($1, 'local', 'x', 1, 99, 'text/plain', 0, 'h', $2::bytea, $3, now())`,
            [runId, content, key],
          ),
        ).rejects.toThrow(/artifacts_content_or_blob/);
      }
    });

    it('keeps the large files of a file tree in the blob store and the small ones in the database', async () => {
      const big = file(largeText(THRESHOLD * 3, 'big file'));
      const small = file('a small file');
      const runId = await runWith(store, { ...testPayload('{"files":[]}'), files: [big, small] });
      const rows = await db.query<{ sha256: string; blob_key: string | null; has_content: boolean }>(
        `SELECT sha256, blob_key, content IS NOT NULL AS has_content FROM blobs WHERE sha256 = ANY($1)`,
        [[big.sha256, small.sha256]],
      );
      expect(rows.find((r) => r.sha256 === big.sha256)).toEqual({
        sha256: big.sha256,
        blob_key: `local/${big.sha256}`,
        has_content: false,
      });
      expect(rows.find((r) => r.sha256 === small.sha256)).toMatchObject({
        blob_key: null,
        has_content: true,
      });
      expect(await store.getBlob(big.sha256)).toBe(big.text);
      expect(await store.getBlob(small.sha256)).toBe(small.text);
      expect(await readFile(path.join(dir, 'local', big.sha256), 'utf8')).toBe(big.text);
      expect(runId).toBeDefined();
    });

    it("keeps two tenants' copies of one content apart: each its own file, neither seen by the other", async () => {
      const [ta, tb] = [`acme-${randomUUID().slice(0, 8)}`, `bolt-${randomUUID().slice(0, 8)}`];
      await store.ensureTenant({ id: ta, name: 'Acme' }, T0);
      await store.ensureTenant({ id: tb, name: 'Bolt' }, T0);
      const [a, b] = [store.forTenant(ta), store.forTenant(tb)];
      const shared = largeText(THRESHOLD * 2, 'shared');
      const onlyB = file(largeText(THRESHOLD * 2, 'only bolt'));
      const runA = await runWith(a, testPayload(shared));
      const runB = await runWith(b, { ...testPayload(shared), files: [onlyB] });
      expect(await readFile(path.join(dir, ta, sha(shared)), 'utf8')).toBe(shared);
      expect(await readFile(path.join(dir, tb, sha(shared)), 'utf8')).toBe(shared);
      expect((await a.getArtifact(runA, 'x', 1))?.content).toBe(shared);
      expect((await b.getArtifact(runB, 'x', 1))?.content).toBe(shared);
      expect(await a.getArtifact(runB, 'x', 1)).toBeUndefined();
      expect(await b.getBlob(onlyB.sha256)).toBe(onlyB.text);
      expect(await a.getBlob(onlyB.sha256)).toBeUndefined();
      expect(await readdir(path.join(dir, ta))).not.toContain(onlyB.sha256);
    });

    it('records nothing when the process dies between writing a content and naming it: no row, no file under its name', async () => {
      const text = largeText(THRESHOLD * 2, 'killed');
      const fs = createFilesystemBlobStore({ dir });
      // A put that gets as far as its temporary file and dies before the rename (as a SIGKILL would).
      const dying = createSqlRunStore(borrowed(db), {
        blobs: {
          threshold: THRESHOLD,
          store: {
            ...fs,
            async put(key) {
              await mkdir(path.join(dir, 'local'), { recursive: true });
              await writeFile(
                path.join(dir, 'local', `.${key.slice(-64)}.000000000000.tmp`),
                text.slice(0, 100),
              );
              throw new StoreError('STORAGE_ERROR', 'killed between the temporary file and the rename');
            },
          },
        },
        log: () => undefined,
      });
      const runId = `blobs-${randomUUID()}`;
      await dying.createRun({ type: 'create', runId, workflow: wf, fixtures: {}, inputs: {}, by: 'ana' }, T0);
      const [task] = await dying.claim({ runId, limit: 1, now: T0 + 1 });
      const result = dying.apply(
        runId,
        { type: 'succeed', phaseId: 'x', attempt: 1, output: testPayload(text) },
        T0 + 2,
        { leaseToken: task!.lease.token },
      );
      await expect(result).rejects.toThrow('killed');
      expect(await store.getArtifact(runId, 'x', 1)).toBeUndefined();
      expect((await store.getRun(runId))?.phases.x?.status).toBe('running');
      expect(await fs.has(`local/${sha(text)}`)).toBe(false);
      expect(await readdir(path.join(dir, 'local'))).not.toContain(sha(text));
    });

    it('says BLOB_MISSING when a content the database names is not in this process’s blob store', async () => {
      const text = largeText(THRESHOLD * 2, 'elsewhere');
      const runId = await runWith(store, testPayload(text));
      // A process on the same database without a blob store, and one with another directory.
      const without = createSqlRunStore(borrowed(db));
      const other = createSqlRunStore(borrowed(db), {
        blobs: { store: createFilesystemBlobStore({ dir: path.join(dir, 'not-shared') }) },
      });
      for (const reader of [without, other]) {
        const failure = await reader.getArtifact(runId, 'x', 1).catch((error: unknown) => error);
        expect(isStoreError(failure, 'BLOB_MISSING')).toBe(true);
      }
      // What it can read from its row it still reads.
      const smallRun = await runWith(store, testPayload('small'));
      expect((await without.getArtifact(smallRun, 'x', 1))?.content).toBe('small');
    });
  });
}
