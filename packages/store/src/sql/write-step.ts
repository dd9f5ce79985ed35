import {
  BatonError,
  type ArtifactRef,
  type PhaseState,
  type RunEvent,
  type RunEventsNotice,
} from '@baton/engine';
import type { PlacedContent } from '../blobs/content-placement.js';
import type { Queryable } from '../db.js';
import { WAKEUP_CHANNEL } from './notify-wakeup.js';
import { EVENTS_CHANNEL } from '../run-events-channel.js';

/** What one run's write holds (gathered by `step-write.ts`). */
export interface StepRows {
  readonly runId: string;
  /** The run's tenant: every row written carries it. */
  readonly tenantId: string;
  /** The run's row must be at this sequence number, or nothing is written. */
  readonly expectedSeq: number;
  readonly run: {
    readonly status: string;
    readonly seq: number;
    readonly updatedAt: number;
    readonly title: string | undefined;
    readonly titleSetByPerson: boolean;
    /** The run's stage (`RunState.stage`), projected like the title. */
    readonly stage: string | undefined;
  };
  readonly events: readonly RunEvent[];
  readonly phases: readonly PhaseState[];
  /** Attempts whose tasks must still run under these lease tokens, or nothing is written. */
  readonly leases: readonly { readonly phaseId: string; readonly attempt: number; readonly token: string }[];
  /** Attempts whose tasks are done. */
  readonly finished: readonly { readonly phaseId: string; readonly attempt: number }[];
  /** Phases whose queued tasks (from before this write) are removed. */
  readonly dequeued: readonly string[];
  readonly queued: readonly TaskRow[];
  readonly claimed: readonly (TaskRow & {
    readonly lease: { readonly token: string; readonly expiresAt: number };
    readonly workerId: string | undefined;
  })[];
  /** Outputs, each content in the row or named by its blob's key (put in the blob store already). */
  readonly artifacts: readonly {
    readonly phaseId: string;
    readonly artifact: ArtifactRef;
    readonly placed: PlacedContent;
  }[];
  /** Files of file trees, placed like the outputs. */
  readonly blobs: readonly {
    readonly sha256: string;
    readonly size: number;
    readonly placed: PlacedContent;
  }[];
  readonly now: number;
  /** Send the wake-up notification with the write. */
  readonly notify: boolean;
  /** Send this run-event notice (`baton_events`, JSON) with the write. */
  readonly eventsNotice: RunEventsNotice | undefined;
}

interface TaskRow {
  readonly phaseId: string;
  readonly attempt: number;
  readonly kind: string;
  readonly runAt: number;
}

/**
 * Writes one run's step in one statement — one round trip, and outside an explicit transaction one
 * commit: appends the events, upserts the phases that changed, moves the run's row, finishes,
 * removes, queues and claims task rows, stores artifacts and file contents, and notifies.
 *
 * The guard is the `UPDATE runs … WHERE last_seq = expected` (plus the lease checks): every other
 * part writes only when it moved the row. Taken without holding the run's lock, the UPDATE waits
 * for a transaction that holds it and then re-checks `last_seq` on the row it committed, so a run
 * that moved meanwhile is left alone. Data-modifying `WITH` parts all see the snapshot the
 * statement started with: the DELETE of dequeued tasks cannot see rows queued by this statement,
 * and leaves alone the keys this statement queues or claims (no row is written twice). A claim is
 * an upsert: the row queued by this statement or an earlier one becomes `running`.
 *
 * Task rows to finish or dequeue are looked up among the run's open tasks (`tasks_open_idx`,
 * migration 0007), so a step's cost does not grow with the tasks a long run has finished.
 *
 * The run's row gets this transaction's id as its change marker (`changed_xid`, migration 0012):
 * the tenant stream (`run-changes.ts`) delivers runs in the order of those markers. A column of the
 * UPDATE every step makes anyway, so it costs no statement.
 *
 * Every row written carries the run's tenant, a parameter (`$17`) the caller knows from the run's
 * row; the guard requires the run's row to have it.
 *
 * A file content the tenant has already (`blobs`, by hash) keeps its row, whose `created_at` the
 * write sets to its time: the blob sweep (`blobs/blob-sweep.ts`) deletes only rows whose time is
 * past its grace, and the update's row lock makes a sweep's DELETE of that row wait for this
 * transaction and then re-check the time (or, the other way round, this INSERT wait for the
 * DELETE and then insert the row anew). Rows are taken in hash order — as the sweep takes them —
 * so two such writes, or a write and a sweep, never wait for each other in a cycle.
 *
 * The notifications (`$16`: a wake-up, `$20`: a run-event notice) are sent only when the guard
 * held, and delivered only when the statement's transaction commits.
 *
 * Contents travel as base64 inside JSON: a text may hold characters (NUL) that `jsonb` refuses. A
 * content in the blob store travels as its key, its `content` NULL (migration 0011).
 * Returns whether it wrote (the guard held).
 */
export async function writeStep(db: Queryable, rows: StepRows): Promise<boolean> {
  const result = await db.query<{ moved: number; claimed: number }>(
    `WITH moved AS (
       UPDATE runs
          SET status = $4, last_seq = $5, updated_at = to_timestamp($6::float8 / 1000.0),
              title = $18::text, title_set_by_person = $19::boolean, stage = $21::text,
              changed_xid = pg_current_xact_id()
        WHERE id = $1 AND last_seq = $7::integer AND tenant_id = $17::text
          AND NOT EXISTS (
                SELECT 1 FROM jsonb_to_recordset($8::jsonb) AS l(phase_id text, attempt integer, token text)
                 WHERE NOT EXISTS (
                       SELECT 1 FROM tasks t
                        WHERE t.run_id = $1 AND t.phase_id = l.phase_id AND t.attempt = l.attempt
                          AND t.lease_token = l.token AND t.status = 'running'))
        RETURNING id
     ), appended AS (
       INSERT INTO events (run_id, tenant_id, seq, type, data, created_at)
       SELECT $1, $17::text, e.seq, e.type, e.data, to_timestamp(e.at / 1000.0)
         FROM jsonb_to_recordset($2::jsonb) AS e(seq integer, type text, at float8, data jsonb)
        WHERE EXISTS (SELECT 1 FROM moved)
        ORDER BY e.seq
     ), projected AS (
       INSERT INTO phases (run_id, tenant_id, phase_id, status, attempt, updated_at)
       SELECT $1, $17::text, p.phase_id, p.status, p.attempt, to_timestamp(p.updated_at / 1000.0)
         FROM jsonb_to_recordset($3::jsonb) AS p(phase_id text, status text, attempt integer, updated_at float8)
        WHERE EXISTS (SELECT 1 FROM moved)
       ON CONFLICT (run_id, phase_id)
       DO UPDATE SET status = excluded.status, attempt = excluded.attempt, updated_at = excluded.updated_at
     ), finished AS (
       UPDATE tasks SET status = 'done', finished_at = to_timestamp($15::float8 / 1000.0)
         FROM jsonb_to_recordset($9::jsonb) AS f(phase_id text, attempt integer)
        WHERE tasks.run_id = $1 AND tasks.phase_id = f.phase_id AND tasks.attempt = f.attempt
          AND tasks.status <> 'done' AND EXISTS (SELECT 1 FROM moved)
     ), written AS (
       SELECT w.phase_id, w.attempt
         FROM jsonb_to_recordset($11::jsonb || $12::jsonb) AS w(phase_id text, attempt integer)
     ), dequeued AS (
       DELETE FROM tasks
        WHERE tasks.run_id = $1 AND tasks.status = 'queued'
          AND tasks.phase_id IN (SELECT jsonb_array_elements_text($10::jsonb))
          AND NOT EXISTS (SELECT 1 FROM written w WHERE w.phase_id = tasks.phase_id AND w.attempt = tasks.attempt)
          AND EXISTS (SELECT 1 FROM moved)
     ), queued AS (
       INSERT INTO tasks (run_id, tenant_id, phase_id, attempt, kind, status, run_at, created_at)
       SELECT $1, $17::text, q.phase_id, q.attempt, q.kind, 'queued', to_timestamp(q.run_at / 1000.0),
              to_timestamp($15::float8 / 1000.0)
         FROM jsonb_to_recordset($11::jsonb) AS q(phase_id text, attempt integer, kind text, run_at float8)
        WHERE EXISTS (SELECT 1 FROM moved)
       ON CONFLICT (run_id, phase_id, attempt) DO NOTHING
     ), claimed AS (
       INSERT INTO tasks (run_id, tenant_id, phase_id, attempt, kind, status, run_at, created_at,
                          claimed_at, heartbeat_at, lease_token, lease_expires_at, worker_id)
       SELECT $1, $17::text, c.phase_id, c.attempt, c.kind, 'running', to_timestamp(c.run_at / 1000.0),
              to_timestamp($15::float8 / 1000.0), to_timestamp($15::float8 / 1000.0),
              to_timestamp($15::float8 / 1000.0), c.token, to_timestamp(c.expires_at / 1000.0), c.worker_id
         FROM jsonb_to_recordset($12::jsonb)
           AS c(phase_id text, attempt integer, kind text, run_at float8, token text, expires_at float8, worker_id text)
        WHERE EXISTS (SELECT 1 FROM moved)
       ON CONFLICT (run_id, phase_id, attempt) DO UPDATE
          SET status = 'running', claimed_at = excluded.claimed_at, heartbeat_at = excluded.heartbeat_at,
              lease_token = excluded.lease_token,
              lease_expires_at = excluded.lease_expires_at, worker_id = excluded.worker_id
        WHERE tasks.status = 'queued'
       RETURNING 1
     ), stored AS (
       INSERT INTO artifacts (run_id, tenant_id, phase_id, attempt, version, media_type, size, sha256, content,
                              blob_key, created_at)
       SELECT $1, $17::text, a.phase_id, a.attempt, a.version, a.media_type, a.size, a.sha256, decode(a.content, 'base64'),
              a.blob_key, to_timestamp($15::float8 / 1000.0)
         FROM jsonb_to_recordset($13::jsonb)
           AS a(phase_id text, attempt integer, version integer, media_type text, size integer, sha256 text, content text,
                blob_key text)
        WHERE EXISTS (SELECT 1 FROM moved)
     ), kept AS (
       INSERT INTO blobs AS kept (sha256, tenant_id, size, content, blob_key, created_at)
       SELECT b.sha256, $17::text, b.size, decode(b.content, 'base64'), b.blob_key, to_timestamp($15::float8 / 1000.0)
         FROM jsonb_to_recordset($14::jsonb) AS b(sha256 text, size integer, content text, blob_key text)
        WHERE EXISTS (SELECT 1 FROM moved)
        ORDER BY b.sha256
       ON CONFLICT (sha256, tenant_id)
       DO UPDATE SET created_at = greatest(kept.created_at, excluded.created_at)
     )
     SELECT (SELECT count(*) FROM moved)::integer AS moved,
            (SELECT count(*) FROM claimed)::integer AS claimed,
            (SELECT count(*) FROM (SELECT pg_notify('${WAKEUP_CHANNEL}', '')
                                    WHERE $16::boolean AND EXISTS (SELECT 1 FROM moved)) n)::integer AS notified,
            (SELECT count(*) FROM (SELECT pg_notify('${EVENTS_CHANNEL}', $20::text)
                                    WHERE $20::text IS NOT NULL AND EXISTS (SELECT 1 FROM moved)) e)::integer
              AS told`,
    [
      rows.runId,
      JSON.stringify(rows.events.map(({ seq, type, at, ...data }) => ({ seq, type, at, data }))),
      JSON.stringify(
        rows.phases.map((phase) => ({
          phase_id: phase.id,
          status: phase.status,
          attempt: phase.attempt,
          updated_at: phase.updatedAt,
        })),
      ),
      rows.run.status,
      rows.run.seq,
      rows.run.updatedAt,
      rows.expectedSeq,
      JSON.stringify(rows.leases.map((l) => ({ phase_id: l.phaseId, attempt: l.attempt, token: l.token }))),
      JSON.stringify(rows.finished.map((f) => ({ phase_id: f.phaseId, attempt: f.attempt }))),
      JSON.stringify(rows.dequeued),
      JSON.stringify(rows.queued.map(taskRecord)),
      JSON.stringify(
        rows.claimed.map((task) => ({
          ...taskRecord(task),
          token: task.lease.token,
          expires_at: task.lease.expiresAt,
          worker_id: task.workerId ?? null,
        })),
      ),
      JSON.stringify(
        rows.artifacts.map(({ phaseId, artifact, placed }) => ({
          phase_id: phaseId,
          attempt: artifact.attempt,
          version: artifact.version,
          media_type: artifact.mediaType,
          size: artifact.size,
          sha256: artifact.sha256,
          content: placed.content,
          blob_key: placed.blobKey,
        })),
      ),
      JSON.stringify(
        rows.blobs.map((blob) => ({
          sha256: blob.sha256,
          size: blob.size,
          content: blob.placed.content,
          blob_key: blob.placed.blobKey,
        })),
      ),
      rows.now,
      rows.notify,
      rows.tenantId,
      rows.run.title ?? null,
      rows.run.titleSetByPerson,
      rows.eventsNotice === undefined ? null : JSON.stringify(rows.eventsNotice),
      rows.run.stage ?? null,
    ],
  );
  const written = result[0];
  if (written === undefined || written.moved !== 1) return false;
  if (written.claimed !== rows.claimed.length) {
    throw new BatonError(
      'INTERNAL',
      `run ${rows.runId}: ${rows.claimed.length} tasks were claimed but ${written.claimed} rows were queued`,
      { context: { runId: rows.runId } },
    );
  }
  return true;
}

function taskRecord(task: TaskRow) {
  return { phase_id: task.phaseId, attempt: task.attempt, kind: task.kind, run_at: task.runAt };
}
