/**
 * The store's reads: runs, their logs, artifacts and file contents, and the queue's state — each
 * within the view's scope: a tenant's view reads only that tenant's rows (every statement filters
 * on `tenant_id`), the system scope reads all.
 *
 * Guarantees: each read sees committed data only. `getRun` returns the state folded from a
 * gap-free prefix of the log: it reads the run's `last_seq` first, then the events up to it — a
 * transition commits its events together with the row's `last_seq`, so every event up to the
 * number read is there — folding only those newer than the cached state (`run-state-cache.ts`).
 *
 * Contents: an artifact's content or a file may live in the blob store (above the threshold); the
 * read fetches it from there (`blobs/content-placement.ts`), so callers get the same text however
 * it was stored.
 *
 * Locking: none. Reads run outside any transaction, each statement on a snapshot of what had
 * committed when it started, and never wait for writers (MVCC): an answer may be a moment old,
 * never half of a transition.
 */
import type { RunStore, StoredArtifact } from '@baton/engine';
import type { ContentPlacement } from '../blobs/content-placement.js';
import type { ArtifactRow } from '../sql/select-artifact.js';
import { selectArtifact } from '../sql/select-artifact.js';
import { selectArtifacts } from '../sql/select-artifacts.js';
import { selectArtifactVersions } from '../sql/select-artifact-versions.js';
import { selectBlob } from '../sql/select-blob.js';
import { selectEvents } from '../sql/select-events.js';
import { selectLastSeq } from '../sql/select-last-seq.js';
import { selectNextDue } from '../sql/select-next-due.js';
import { selectNextWakeup } from '../sql/select-next-wakeup.js';
import { selectRunningTasks } from '../sql/select-running-tasks.js';
import { selectRuns } from '../sql/select-runs.js';
import type { StoreContext, TenantScope } from './context.js';

/** The read methods of a view with `scope` (see above). */
export function readMethods(
  ctx: StoreContext,
  scope: TenantScope,
): Pick<
  RunStore,
  | 'getRun'
  | 'listRuns'
  | 'listEvents'
  | 'getArtifact'
  | 'getArtifacts'
  | 'listArtifactVersions'
  | 'getBlob'
  | 'nextDue'
  | 'nextWakeup'
  | 'runningTasks'
> {
  const { cache, db, contents } = ctx;
  return {
    async getRun(runId) {
      const row = await selectLastSeq(db, runId, scope);
      if (row === undefined) {
        // Gone — unless it is only out of this view's sight (another tenant's run, still cached).
        if (scope === undefined || cache.tenantOf(runId) === scope) cache.forget(runId);
        return undefined;
      }
      return cache.load(db, row);
    },

    async listRuns(options = {}) {
      return selectRuns(db, options, scope);
    },

    async listEvents(runId, options = {}) {
      return selectEvents(db, runId, options.afterSeq ?? 0, undefined, scope, options.limit);
    },

    async getArtifact(runId, phaseId, version) {
      const row = await selectArtifact(db, runId, phaseId, version, scope);
      return row === undefined ? undefined : artifactOfRow(contents, row);
    },

    async getArtifacts(runId, refs) {
      const rows = await selectArtifacts(db, runId, refs, scope);
      // A ref asked twice has one row: read its blob once.
      const read = new Map<ArtifactRow, Promise<StoredArtifact>>();
      return Promise.all(
        rows.map((row): Promise<StoredArtifact | undefined> => {
          if (row === undefined) return Promise.resolve(undefined);
          let artifact = read.get(row);
          if (artifact === undefined) read.set(row, (artifact = artifactOfRow(contents, row)));
          return artifact;
        }),
      );
    },

    async listArtifactVersions(runId, phaseId) {
      return selectArtifactVersions(db, runId, phaseId, scope);
    },

    async getBlob(sha256) {
      const row = await selectBlob(db, sha256, scope);
      return row === undefined ? undefined : contents.read(row, `the file ${sha256}`);
    },

    async nextDue(options = {}) {
      return selectNextDue(db, options.runId, scope);
    },

    async nextWakeup(options = {}) {
      return selectNextWakeup(db, options.runId, scope);
    },

    async runningTasks(options = {}) {
      return selectRunningTasks(db, options.runId, scope);
    },
  };
}

/** The stored artifact of a row, its content read from the row or the blob store. */
async function artifactOfRow(contents: ContentPlacement, row: ArtifactRow): Promise<StoredArtifact> {
  const { content: _inRow, blobKey: _key, ...ref } = row;
  const what = `version ${row.version} of "${row.phaseId}" of run ${row.runId}`;
  return { ...ref, content: await contents.read(row, what) };
}
