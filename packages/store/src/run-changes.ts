/**
 * Run changes in commit order: what the tenant stream (`GET /api/events`) reads — each of a
 * tenant's runs whose dashboard view changed after a cursor, with its current state, and each run
 * deleted after it — such that a reader resuming from its cursor can never skip a change.
 *
 * The problem: numbers handed out inside transactions become visible in commit order, not in the
 * order they were handed out. A log numbered 41, 42 where 42 commits first is read as "…, 42" by a
 * reader that then resumes after 42 and never sees 41.
 *
 * The design: every transaction that changes what a dashboard shows of a run — its row (created,
 * status, title, stage, last event: `sql/write-step.ts`, `sql/insert-run.ts` by default), its phases (the
 * same step write), its usage (a model call marks its run: `sql/insert-model-call.ts`) — stamps the
 * run's row with its own transaction id, `changed_xid = pg_current_xact_id()` (64-bit, never wraps);
 * a delete leaves a tombstone stamped the same way (`sql/delete-run.ts`). A reader delivers only
 * markers below `pg_snapshot_xmin(pg_current_snapshot())`, the oldest transaction still running:
 * every transaction with a smaller id has ended, and one that starts later gets a larger id, so
 * nothing can later commit below that bound. Delivered in `(changed_xid, run id)` order, a cursor is
 * the last position delivered, and everything at or before it is final. In the example, 42 is held
 * back while 41 runs; after 41 commits both are delivered, 41 first.
 *
 * Why not a per-run seq cursor: it is exact too, but grows with the tenant's runs (a dashboard of
 * 10,000 runs resumes with 10,000 numbers). Why not a log table of changes: one more INSERT per
 * step (an extra statement, and a table to sweep); here the marker is one more column of the UPDATE
 * every step already makes, and a run changed many times is stored — and delivered — once, with
 * its newest state, which is what a dashboard wants (catching up costs at most the tenant's runs,
 * not its changes). The price: a transaction that stays open (anywhere on the PostgreSQL server)
 * holds every reader's bound back, so delivery waits for it — late, never lost. Baton's own
 * transactions are short (one step); an idle-in-transaction session elsewhere shows as latency.
 *
 * Indexes: none on the marker (migration 0012): a marker in an index would make every step's
 * UPDATE of the run's row a non-HOT update, writing into each of the table's indexes. A read scans
 * the tenant's runs (`runs_tenant_created_idx`) and keeps those past the cursor — about once a
 * second per followed tenant and server. The tombstones are read by their primary key.
 *
 * PGlite is one session: the bound is trivially every committed change, and the same SQL runs.
 *
 * Locking: none taken by the reads (MVCC). The writes that stamp are the store's own (see those
 * files); a model call's stamp takes the run's row lock for its statement only.
 */
import { NO_USAGE, type RunStatus, type UsageTotals } from '@baton/engine';
import type { Queryable } from './db.js';
import { deleteOldTombstones } from './sql/delete-old-tombstones.js';
import { selectChangeHorizon } from './sql/select-change-horizon.js';
import { selectRunChanges, type ChangePosition, type RunChangeRow } from './sql/select-run-changes.js';

export type { ChangePosition } from './sql/select-run-changes.js';

/** Before every change: a reader starting here reads every run the tenant has. */
export const FIRST_POSITION: ChangePosition = { xid: '0', runId: '' };

/** A run as a dashboard shows it, as it is now. */
export interface ChangedRun {
  readonly id: string;
  readonly workflowId: string;
  readonly status: RunStatus;
  readonly title?: string;
  /** The run's stage (the workflow's `stages:`), when one holds. */
  readonly stage?: string;
  readonly createdAt: number;
  readonly updatedAt: number;
  /** The sequence number of the run's last event. */
  readonly lastSeq: number;
  /** Phases waiting for a person (a gate, a human phase, an interrupt, a budget), by id. */
  readonly waitingFor: readonly string[];
  /** Phases with an attempt running, by id. */
  readonly running: readonly string[];
  readonly usage: UsageTotals;
}

/** One change: a run's newest state, or its deletion; `position` is the reader's next cursor. */
export type RunChange =
  | { readonly type: 'run'; readonly position: ChangePosition; readonly run: ChangedRun }
  | { readonly type: 'deleted'; readonly position: ChangePosition; readonly runId: string };

/** Reads run changes in commit order (see above). */
export interface RunChanges {
  /**
   * The present: every change that commits from now on lies after this position (and so do the
   * ones of transactions still running, and — while an older transaction anywhere on the server is
   * still open — some that committed already: delivered again, harmless for a newest-state feed).
   * A reader starting without a cursor starts here, then reads the list of runs.
   */
  now(): Promise<ChangePosition>;
  /**
   * The tenant's changes after `after`, in commit order, at most `limit` (read again from the last
   * one's position while `limit` came back). Fails only when the database does (`STORAGE_ERROR`).
   */
  after(tenantId: string, after: ChangePosition, limit: number): Promise<RunChange[]>;
  /** Removes the tombstones of runs deleted before `before` (epoch ms); returns how many. */
  sweepTombstones(before: number): Promise<number>;
}

/** {@link RunChanges} on a migrated database (PGlite or PostgreSQL). */
export function createRunChanges(db: Queryable): RunChanges {
  return {
    async now() {
      // Everything below the oldest running transaction is final; that transaction and all later
      // ones come after: the position before its first run (run ids are never empty).
      return { xid: await selectChangeHorizon(db), runId: '' };
    },
    async after(tenantId, after, limit) {
      return (await selectRunChanges(db, tenantId, after, limit)).map(toChange);
    },
    sweepTombstones: (before) => deleteOldTombstones(db, before),
  };
}

/**
 * Whether `a` lies strictly after `b` in commit order. Run ids compare by UTF-16 code units, which
 * is the database's bytewise order (`COLLATE "C"`, UTF-8) for every id without characters past
 * U+FFFF — run ids are names made of letters, digits and dashes.
 */
export function isAfter(a: ChangePosition, b: ChangePosition): boolean {
  const xa = BigInt(a.xid);
  const xb = BigInt(b.xid);
  if (xa !== xb) return xa > xb;
  return a.runId > b.runId;
}

function toChange(row: RunChangeRow): RunChange {
  const position = { xid: row.xid, runId: row.id };
  if (row.deleted) return { type: 'deleted', position, runId: row.id };
  const usage: UsageTotals =
    row.calls === null || row.calls === 0
      ? NO_USAGE
      : {
          calls: row.calls,
          inputTokens: row.inputTokens ?? 0,
          outputTokens: row.outputTokens ?? 0,
          cachedTokens: row.cachedTokens ?? 0,
          costUsd: row.costUsd ?? 0,
          unpricedCalls: row.unpricedCalls ?? 0,
        };
  return {
    type: 'run',
    position,
    run: {
      id: row.id,
      workflowId: row.workflowId!,
      status: row.status!,
      ...(row.title === null ? {} : { title: row.title }),
      ...(row.stage === null ? {} : { stage: row.stage }),
      createdAt: row.createdAt!,
      updatedAt: row.updatedAt!,
      lastSeq: row.lastSeq!,
      waitingFor: row.waitingFor ?? [],
      running: row.running ?? [],
      usage,
    },
  };
}
