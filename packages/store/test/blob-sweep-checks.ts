/**
 * The blob sweep, checked against each driver: deleting a run and sweeping past the grace period
 * frees the contents only that run used — `blobs` rows and blob-store files — and keeps what other
 * runs and other tenants name, what is younger than the grace, and what a write relies on (a file
 * stored again, a fork's copied trees). Time is a hand-moved clock shared by the writes and the
 * blob store; each case has a database and a blob directory of its own.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  blobKey,
  FILE_TREE_MEDIA_TYPE,
  type BlobStore,
  type FileBlob,
  type OutputPayload,
  type RunStore,
  type ScopedRunStore,
} from '@baton/engine';
import { testPayload, testPhase, testWorkflow } from '@baton/engine/testing';
import { createFilesystemBlobStore, createSqlRunStore, sweepBlobs, type Db } from '../src/index.js';
import type { StoreBlobsOptions } from '../src/blobs/content-placement.js';
import { touchBlobs } from '../src/sql/touch-blobs.js';
import { borrowed } from './sql-store-checks.js';

const T0 = 1_700_000_000_000;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** A small threshold keeps the contents small; the default is 256 KiB. */
const THRESHOLD = 1024;
const wf = testWorkflow('sweep', testPhase('tree'), testPhase('report'));
const NOTHING = { rows: 0, rowBytes: 0, files: 0, fileBytes: 0, skipped: [] };

function sha(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** A text of at least three times the threshold, different for each `seed`. */
function large(seed: string): string {
  return `${seed}: é € 𝄞\n`.repeat(Math.ceil((THRESHOLD * 3) / bytes(`${seed}: é € 𝄞\n`)));
}

function file(text: string): FileBlob {
  return { sha256: sha(text), size: bytes(text), text };
}

/** A file tree of `files` (stored with it unless `stored` is false: a fork's copy). */
function tree(files: readonly FileBlob[], summary?: string): OutputPayload {
  const manifest = {
    files: files.map((f, i) => ({
      path: `f${i}.txt`,
      sha256: f.sha256,
      size: f.size,
      mediaType: 'text/plain',
    })),
    ...(summary === undefined ? {} : { summary }),
  };
  return { ...testPayload(JSON.stringify(manifest), FILE_TREE_MEDIA_TYPE), files };
}

/** A migrated database of a case's own, and how to let it go. */
export interface SweepDatabase {
  readonly db: Db;
  close(): Promise<void>;
}

/** Defines the checks; `open` gives each case a fresh migrated database. */
export function blobSweepChecks(name: string, open: () => Promise<SweepDatabase>): void {
  describe(`the blob sweep: ${name}`, () => {
    let database: SweepDatabase;
    let db: Db;
    let dir: string;
    let now: number;
    let fs: BlobStore;
    let blobs: StoreBlobsOptions;
    let store: ScopedRunStore;

    beforeEach(async () => {
      database = await open();
      db = database.db;
      dir = await mkdtemp(path.join(tmpdir(), 'baton-sweep-'));
      now = T0;
      fs = createFilesystemBlobStore({ dir, clock: { now: () => now } });
      blobs = { store: fs, threshold: THRESHOLD };
      store = createSqlRunStore(borrowed(db), { blobs });
    });

    afterEach(async () => {
      await database.close();
      await rm(dir, { recursive: true, force: true });
    });

    async function tenant(label: string): Promise<{ id: string; view: RunStore }> {
      const id = `${label}-${randomUUID().slice(0, 8)}`;
      await store.ensureTenant({ id, name: label }, T0);
      return { id, view: store.forTenant(id) };
    }

    /** A run whose phases succeed with `outputs` at the clock's time. */
    async function runWith(view: RunStore, outputs: { tree: OutputPayload; report?: OutputPayload }) {
      const runId = `sweep-${randomUUID()}`;
      await view.createRun({ type: 'create', runId, workflow: wf, fixtures: {}, inputs: {}, by: 'ana' }, now);
      const report = outputs.report ?? testPayload('a short report');
      for (const task of await view.claim({ runId, limit: 2, now })) {
        const output = task.phaseId === 'tree' ? outputs.tree : report;
        const done = await view.apply(
          runId,
          { type: 'succeed', phaseId: task.phaseId, attempt: 1, output },
          now,
          {
            leaseToken: task.lease.token,
          },
        );
        expect(done.ok).toBe(true);
      }
      return runId;
    }

    /** Forks phase `tree` of `source` with its tree as read before (its files not stored again). */
    function fork(view: RunStore, source: string, copied: OutputPayload) {
      const { files: _stored, ...output } = copied;
      return view.createRun(
        {
          type: 'create',
          runId: `fork-${randomUUID()}`,
          workflow: wf,
          fixtures: {},
          inputs: {},
          by: 'ana',
          fork: {
            runId: source,
            phases: [{ phaseId: 'tree', status: 'completed', output, sourceVersion: 1 }],
          },
        },
        now,
      );
    }

    const filesOf = async (tenantId: string) =>
      (await readdir(path.join(dir, tenantId)).catch(() => [])).sort();
    const rowsOf = async (tenantId: string) =>
      (
        await db.query<{ sha256: string }>(`SELECT sha256 FROM blobs WHERE tenant_id = $1 ORDER BY sha256`, [
          tenantId,
        ])
      ).map((row) => row.sha256);

    it('frees what only a deleted run used, past the grace, and keeps what another run or tenant names and what is younger', async () => {
      const [acme, bolt] = [await tenant('acme'), await tenant('bolt')];
      const [shared, onlyA, onlyB] = [file(large('shared')), file(large('only a')), file(large('only b'))];
      const smallA = file('a small file of run a');
      const [reportA, reportB] = [large('report a'), large('report b')];
      const runA = await runWith(acme.view, {
        tree: tree([shared, onlyA, smallA]),
        report: testPayload(reportA),
      });
      // B's manifest is above the threshold (its summary): the sweep reads it from the blob store.
      const treeB = tree([shared, onlyB], large('summary b'));
      const runB = await runWith(acme.view, { tree: treeB, report: testPayload(reportB) });
      const runU = await runWith(bolt.view, { tree: tree([onlyA]), report: testPayload(reportA) });
      const failed = large('put by a write that then failed');
      await fs.put(blobKey(acme.id, sha(failed)), Buffer.from(failed));
      expect((await acme.view.deleteRun(runA)).ok).toBe(true);

      // Within the grace, nothing goes.
      expect(await sweepBlobs(db, { blobs, now: T0 + 30 * MINUTE })).toEqual(NOTHING);

      // A content put ten minutes before the sweep: a write that has not committed its row yet.
      now = T0 + 2 * HOUR - 10 * MINUTE;
      const fresh = large('put by a write still running');
      await fs.put(blobKey(acme.id, sha(fresh)), Buffer.from(fresh));

      const swept = await sweepBlobs(db, { blobs, now: T0 + 2 * HOUR });
      expect(swept).toEqual({
        rows: 2,
        rowBytes: smallA.size,
        files: 3,
        fileBytes: onlyA.size + bytes(reportA) + bytes(failed),
        skipped: [],
      });
      expect(await rowsOf(acme.id)).toEqual([shared.sha256, onlyB.sha256].sort());
      expect(await filesOf(acme.id)).toEqual(
        [shared.sha256, onlyB.sha256, sha(reportB), treeB.sha256, sha(fresh)].sort(),
      );
      // What stays reads back byte for byte.
      expect(await acme.view.getBlob(shared.sha256)).toBe(shared.text);
      expect(await acme.view.getBlob(onlyB.sha256)).toBe(onlyB.text);
      expect((await acme.view.getArtifact(runB, 'report', 1))?.content).toBe(reportB);
      expect((await acme.view.getArtifact(runB, 'tree', 1))?.content).toBe(treeB.text);
      // The other tenant's copies of the same contents are its own, untouched.
      expect(await rowsOf(bolt.id)).toEqual([onlyA.sha256]);
      expect(await filesOf(bolt.id)).toEqual([onlyA.sha256, sha(reportA)].sort());
      expect(await bolt.view.getBlob(onlyA.sha256)).toBe(onlyA.text);
      expect((await bolt.view.getArtifact(runU, 'report', 1))?.content).toBe(reportA);

      expect(await sweepBlobs(db, { blobs, now: T0 + 2 * HOUR })).toEqual(NOTHING);
    });

    it("sweeps one tenant's rows and files alone when asked (after one of its runs was deleted)", async () => {
      const [acme, bolt] = [await tenant('acme'), await tenant('bolt')];
      const [a, b] = [file(large('of acme')), file(large('of bolt'))];
      const runA = await runWith(acme.view, { tree: tree([a]) });
      const runB = await runWith(bolt.view, { tree: tree([b]) });
      await acme.view.deleteRun(runA);
      await bolt.view.deleteRun(runB);
      const later = T0 + 2 * HOUR;
      expect(await sweepBlobs(db, { blobs, now: later, tenantId: acme.id })).toMatchObject({
        rows: 1,
        files: 1,
      });
      expect([await rowsOf(acme.id), await filesOf(acme.id)]).toEqual([[], []]);
      expect([await rowsOf(bolt.id), await filesOf(bolt.id)]).toEqual([[b.sha256], [b.sha256]]);
      expect(await sweepBlobs(db, { blobs, now: later })).toMatchObject({ rows: 1, files: 1 });
      expect([await rowsOf(bolt.id), await filesOf(bolt.id)]).toEqual([[], []]);
    });

    it('keeps for the grace a file content that a later run stored again, after both runs are deleted', async () => {
      const acme = await tenant('acme');
      const again = file(large('stored twice'));
      const first = await runWith(acme.view, { tree: tree([again]) });
      await acme.view.deleteRun(first);
      now = T0 + 90 * MINUTE;
      const second = await runWith(acme.view, { tree: tree([again]) });
      const [row] = await db.query<{ at: number }>(
        `SELECT (extract(epoch FROM created_at) * 1000)::float8 AS at FROM blobs WHERE tenant_id = $1`,
        [acme.id],
      );
      expect(row?.at).toBe(now);
      await acme.view.deleteRun(second);
      expect(await sweepBlobs(db, { blobs, now: T0 + 2 * HOUR })).toEqual(NOTHING);
      expect(await acme.view.getBlob(again.sha256)).toBe(again.text);
      expect(await sweepBlobs(db, { blobs, now: T0 + 3 * HOUR })).toMatchObject({ rows: 1, files: 1 });
    });

    it('marks the files a fork copies as relied on, and refuses a fork whose source lost them, writing nothing', async () => {
      const acme = await tenant('acme');
      const [big, small] = [file(large('forked')), file('a small forked file')];
      const copied = tree([big, small]);
      const source = await runWith(acme.view, { tree: copied });
      now = T0 + 90 * MINUTE;
      const forked = await fork(acme.view, source, copied);
      expect(forked.ok).toBe(true);
      const times = await db.query<{ at: number }>(
        `SELECT (extract(epoch FROM created_at) * 1000)::float8 AS at FROM blobs WHERE tenant_id = $1`,
        [acme.id],
      );
      expect(times).toEqual([{ at: now }, { at: now }]);

      const lost = tree([file(large('lost'))]);
      const gone = await runWith(acme.view, { tree: lost });
      await acme.view.deleteRun(gone);
      now = T0 + 3 * HOUR;
      expect(await sweepBlobs(db, { blobs, now })).toMatchObject({ rows: 1, files: 1 });
      const before = (await acme.view.listRuns()).length;
      const refused = await fork(acme.view, gone, lost);
      expect(refused).toMatchObject({ ok: false, error: { code: 'RUN_NOT_FOUND' } });
      expect((await acme.view.listRuns()).length).toBe(before);
    });

    it('leaves the rows of a tenant with a tree it cannot read, and says which', async () => {
      const acme = await tenant('acme');
      const orphan = file(large('named by a deleted run'));
      const deleted = await runWith(acme.view, { tree: tree([orphan]) });
      await runWith(acme.view, { tree: testPayload('not a manifest', FILE_TREE_MEDIA_TYPE) });
      await acme.view.deleteRun(deleted);
      const swept = await sweepBlobs(db, { blobs, now: T0 + 2 * HOUR });
      expect(swept).toMatchObject({ rows: 0, files: 0, skipped: [{ tenantId: acme.id }] });
      expect(swept.skipped[0]?.reason).toMatch(/is not a file-tree manifest/);
      expect(await rowsOf(acme.id)).toEqual([orphan.sha256]);
    });

    it('waits for a transaction that relies on a row it would delete, then keeps the row', async (context) => {
      // PGlite has one connection: a transaction and a sweep cannot overlap there.
      if (db.driver !== 'postgres') context.skip();
      const acme = await tenant('acme');
      const held = file(large('relied on by an open transaction'));
      await acme.view.deleteRun(await runWith(acme.view, { tree: tree([held]) }));
      const later = T0 + 2 * HOUR;
      let sweeping: ReturnType<typeof sweepBlobs> | undefined;
      await db.transaction(async (tx) => {
        expect(await touchBlobs(tx, acme.id, [held.sha256], later)).toEqual(new Set([held.sha256]));
        sweeping = sweepBlobs(db, { blobs, now: later, tenantId: acme.id });
        await waitForLockWait(db);
      });
      expect(await sweeping).toEqual(NOTHING);
      expect(await rowsOf(acme.id)).toEqual([held.sha256]);
      expect(await acme.view.getBlob(held.sha256)).toBe(held.text);
    });
  });
}

/** Polls until a session of the database waits for a row lock; fails after a minute. */
async function waitForLockWait(db: Db): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const rows = await db.query<{ n: number }>(
      `SELECT count(*)::integer AS n FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event_type = 'Lock'`,
    );
    if ((rows[0]?.n ?? 0) > 0) return;
    if (Date.now() > deadline) throw new Error('timed out waiting for the sweep to wait for the lock');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
