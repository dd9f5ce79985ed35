/**
 * The blob sweep of `baton serve`: frees the large contents no remaining row names — what
 * deleting runs leaves behind (`sweepBlobs`, `@baton/store`; docs/engine.md, "Where contents
 * live"). It sweeps every tenant when the server starts and then every `intervalMs` (an hour: the
 * grace period, so nothing waits much longer than twice that), and one tenant `afterDeleteMs`
 * (10 s) after one of its runs was deleted through this server — soon, outside the request, and
 * once for deletions close together. What a deleted run alone used goes then if it is older than
 * the grace period, else at a later periodic sweep.
 *
 * One sweep at a time in a server: the periodic and the tenant sweeps queue behind each other.
 * Several servers on one PostgreSQL may sweep at once (`sweepBlobs` says why that is safe). What a
 * sweep freed is logged at info (counts and bytes); a tenant it left alone, and a sweep that
 * failed (the database or the blob directory is away), at warn — it runs again at the next
 * interval. Timers are unref'd: they never keep the process alive.
 */
import type { Clock } from '@baton/engine';
import { systemClock } from '@baton/runtime';
import { sweepBlobs, type BlobSweepResult, type Queryable, type StoreBlobsOptions } from '@baton/store';
import type { Logger } from 'pino';

/** How often a server sweeps every tenant by default: every hour. */
const DEFAULT_INTERVAL_MS = 60 * 60 * 1000;

/** How long after a run's deletion its tenant is swept by default: 10 seconds. */
const DEFAULT_AFTER_DELETE_MS = 10_000;

/** When the sweep runs, and what it may free (defaults above; tests shorten them). */
export interface BlobSweepTimings {
  /** Time between the end of one periodic sweep and the start of the next (default an hour). */
  readonly intervalMs?: number;
  /** Only what was left alone for longer than this is freed (default an hour, `sweepBlobs`'s). */
  readonly graceMs?: number;
  /** How long after a run's deletion its tenant is swept (default 10 seconds). */
  readonly afterDeleteMs?: number;
}

/** Options of {@link startBlobSweep}. */
export interface StartBlobSweepOptions extends BlobSweepTimings {
  readonly db: Queryable;
  /** The server's blob store; without one only rows are swept (contents in the database). */
  readonly blobs: StoreBlobsOptions | undefined;
  readonly log: Logger;
  /** What "now" is at each sweep (default: the wall clock). */
  readonly clock?: Clock;
}

/** A running blob sweep. */
export interface BlobSweep {
  /** A run of `tenantId` was deleted: sweep its tenant soon. */
  runDeleted(tenantId: string): void;
  /** No sweep starts from now on; resolves once the one running (if any) has ended. */
  stop(): Promise<void>;
}

/** Sweeps at once, then every `intervalMs`, and after deletions, until stopped. Never throws. */
export function startBlobSweep(options: StartBlobSweepOptions): BlobSweep {
  const clock = options.clock ?? systemClock;
  const intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
  const afterDeleteMs = options.afterDeleteMs ?? DEFAULT_AFTER_DELETE_MS;
  let stopped = false;
  let periodic: NodeJS.Timeout | undefined;
  let soon: NodeJS.Timeout | undefined;
  const deletedIn = new Set<string>();
  // The sweeps, one after the other; each catches its own failure.
  let queue: Promise<void> = Promise.resolve();

  const sweep = async (tenantId: string | undefined): Promise<void> => {
    if (stopped) return;
    try {
      const result = await sweepBlobs(options.db, {
        now: clock.now(),
        ...(options.blobs === undefined ? {} : { blobs: options.blobs }),
        ...(options.graceMs === undefined ? {} : { graceMs: options.graceMs }),
        ...(tenantId === undefined ? {} : { tenantId }),
      });
      report(options.log, result, tenantId);
    } catch (error) {
      options.log.warn(
        { err: error, ...(tenantId === undefined ? {} : { tenantId }) },
        'the blob sweep failed; it runs again at the next interval',
      );
    }
  };
  const enqueue = (job: () => Promise<void>): Promise<void> => (queue = queue.then(job));
  const next = (): void => {
    if (stopped) return;
    void enqueue(() => sweep(undefined)).then(() => {
      if (stopped) return;
      periodic = setTimeout(next, intervalMs);
      periodic.unref();
    });
  };
  next();
  return {
    runDeleted(tenantId) {
      if (stopped) return;
      deletedIn.add(tenantId);
      if (soon !== undefined) return;
      soon = setTimeout(() => {
        soon = undefined;
        const tenants = [...deletedIn];
        deletedIn.clear();
        for (const tenant of tenants) void enqueue(() => sweep(tenant));
      }, afterDeleteMs);
      soon.unref();
    },
    async stop() {
      stopped = true;
      if (periodic !== undefined) clearTimeout(periodic);
      if (soon !== undefined) clearTimeout(soon);
      await queue;
    },
  };
}

function report(log: Logger, result: BlobSweepResult, tenantId: string | undefined): void {
  const scope = tenantId === undefined ? {} : { tenantId };
  for (const skipped of result.skipped) {
    log.warn(skipped, 'the blob sweep left the file contents of a tenant alone');
  }
  if (result.rows + result.files === 0) return;
  const freed = {
    rows: result.rows,
    rowBytes: result.rowBytes,
    files: result.files,
    fileBytes: result.fileBytes,
    bytes: result.rowBytes + result.fileBytes,
  };
  log.info({ freed, ...scope }, 'freed contents no run uses any more');
}
