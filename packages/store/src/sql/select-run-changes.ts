import type { RunStatus } from '@baton/engine';
import type { Queryable } from '../db.js';

/** Where a change sits in a tenant's commit order: its transaction's id, then its run's id. */
export interface ChangePosition {
  /** `changed_xid` as decimal text (a 64-bit transaction id; `'0'` before every change). */
  readonly xid: string;
  /** Orders the runs one transaction changed; `''` before every run of that transaction. */
  readonly runId: string;
}

/** One row of {@link selectRunChanges}: a run's current state, or its tombstone. */
export interface RunChangeRow {
  readonly xid: string;
  readonly id: string;
  readonly deleted: boolean;
  readonly workflowId: string | null;
  readonly status: RunStatus | null;
  readonly title: string | null;
  readonly stage: string | null;
  readonly createdAt: number | null;
  readonly updatedAt: number | null;
  readonly lastSeq: number | null;
  readonly waitingFor: string[] | null;
  readonly running: string[] | null;
  readonly calls: number | null;
  readonly inputTokens: number | null;
  readonly outputTokens: number | null;
  readonly cachedTokens: number | null;
  readonly costUsd: number | null;
  readonly unpricedCalls: number | null;
}

/**
 * The tenant's runs and tombstones whose change marker lies after `after` (by `(changed_xid, id)`)
 * and below the oldest transaction still running (`pg_snapshot_xmin` of this statement's own
 * snapshot), in that order, at most `limit`. A run comes with its current state: its row, the
 * phases waiting for a person and running (its phases, by primary key) and its usage (its ledger
 * rows, `model_calls_run_idx`). The runs half reads the tenant's runs (`runs_tenant_created_idx`:
 * `changed_xid` has no index, so a step's UPDATE stays HOT — migration 0012) and sorts those past
 * the cursor; the tombstones half walks their primary key from the cursor. Each stops at `limit`.
 *
 * Why the bound is safe: every transaction whose id is below the snapshot's xmin has ended, and a
 * transaction that starts later gets a larger id, so no row can later appear (commit) with a marker
 * below that bound. The snapshot is the statement's own, so every row committed below the bound is
 * visible to it. See `run-changes.ts`. Ids compare bytewise (`COLLATE "C"`), as `isAfter` does.
 */
export async function selectRunChanges(
  db: Queryable,
  tenantId: string,
  after: ChangePosition,
  limit: number,
): Promise<RunChangeRow[]> {
  return db.query<RunChangeRow>(
    `WITH horizon AS (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS xmin),
     changed AS (
       SELECT r.changed_xid, r.id, false AS deleted, r.workflow_id, r.status, r.title, r.stage, r.created_at,
              r.updated_at, r.last_seq
         FROM runs r, horizon h
        WHERE r.tenant_id = $1 AND (r.changed_xid, r.id COLLATE "C") > ($2::xid8, $3::text COLLATE "C") AND r.changed_xid < h.xmin
        ORDER BY r.changed_xid, r.id COLLATE "C"
        LIMIT $4
     ), gone AS (
       SELECT t.changed_xid, t.run_id AS id, true AS deleted
         FROM run_tombstones t, horizon h
        WHERE t.tenant_id = $1 AND (t.changed_xid, t.run_id) > ($2::xid8, $3::text COLLATE "C") AND t.changed_xid < h.xmin
        ORDER BY t.changed_xid, t.run_id
        LIMIT $4
     ), next AS (
       SELECT changed_xid, id COLLATE "C" AS id, deleted FROM changed
       UNION ALL
       SELECT changed_xid, id, deleted FROM gone
        ORDER BY changed_xid, id
        LIMIT $4
     )
     SELECT n.changed_xid::text AS xid, n.id, n.deleted,
            c.workflow_id AS "workflowId", c.status, c.title, c.stage,
            round(extract(epoch FROM c.created_at) * 1000)::float8 AS "createdAt",
            round(extract(epoch FROM c.updated_at) * 1000)::float8 AS "updatedAt",
            c.last_seq AS "lastSeq", p.waiting AS "waitingFor", p.running, u.calls, u."inputTokens",
            u."outputTokens", u."cachedTokens", u."costUsd", u."unpricedCalls"
       FROM next n
       LEFT JOIN changed c ON NOT n.deleted AND c.id = n.id
       LEFT JOIN LATERAL (
         SELECT coalesce(array_agg(ph.phase_id ORDER BY ph.phase_id)
                           FILTER (WHERE ph.status = 'waiting_for_human'), '{}') AS waiting,
                coalesce(array_agg(ph.phase_id ORDER BY ph.phase_id)
                           FILTER (WHERE ph.status = 'running'), '{}') AS running
           FROM phases ph
          WHERE ph.run_id = c.id
       ) p ON NOT n.deleted
       LEFT JOIN LATERAL (
         SELECT count(*)::float8 AS calls,
                coalesce(sum(m.input_tokens), 0)::float8 AS "inputTokens",
                coalesce(sum(m.output_tokens), 0)::float8 AS "outputTokens",
                coalesce(sum(m.cached_tokens), 0)::float8 AS "cachedTokens",
                coalesce(sum(m.cost_usd), 0)::float8 AS "costUsd",
                (count(*) FILTER (WHERE m.cost_usd IS NULL))::float8 AS "unpricedCalls"
           FROM model_calls m
          WHERE m.run_id = c.id
       ) u ON NOT n.deleted
      ORDER BY n.changed_xid, n.id`,
    [tenantId, after.xid, after.runId, limit],
  );
}
