import type { ErrorCode } from '../errors.js';
import type { ModelCallRecord, RunUsage } from './model-calls.js';
import type { PhaseProgressEvent } from './phase-handler.js';
import type { ArtifactRef, Command, PhaseKind, RunEvent, RunInput, RunState, RunStatus } from '../types.js';

/** Why a transition was refused. Nothing was written. */
export interface TransitionError {
  readonly code: Extract<
    ErrorCode,
    'INVALID_TRANSITION' | 'PHASE_NOT_FOUND' | 'RUN_NOT_FOUND' | 'INVALID_INPUT'
  >;
  readonly message: string;
}

/**
 * The outcome of applying one input to a run. `ok: false` is an expected outcome (approving a
 * phase that is not waiting), not an exception; the store is unchanged.
 */
export type Transition =
  | {
      readonly ok: true;
      readonly state: RunState;
      /** The events appended by this transition, numbered. Empty when `ignored`. */
      readonly events: readonly RunEvent[];
      /** Every command the scheduler emitted (the store already carried out the transactional ones). */
      readonly commands: readonly Command[];
      /** Set when the input was stale or a duplicate (an old attempt's late result): nothing changed. */
      readonly ignored?: string;
      /** Tasks claimed in the same transaction (`ApplyOptions.claimNext`). */
      readonly claimed?: readonly ClaimedTask[];
    }
  | { readonly ok: false; readonly error: TransitionError };

/**
 * The tenant of a single-user installation: the runs a store's default (all-tenants) scope creates
 * belong to it, and so did every run made before stores had tenants.
 */
export const LOCAL_TENANT = 'local';

/** A task in the queue: one attempt of a phase, due at `runAt`. */
export interface QueuedTask {
  readonly runId: string;
  readonly phaseId: string;
  readonly attempt: number;
  readonly kind: PhaseKind;
  readonly runAt: number;
  /** The tenant of the task's run: a worker serving every tenant knows whose work it runs. */
  readonly tenantId: string;
}

/** A claimed task without a result yet ({@link RunStore.runningTasks}). */
export interface RunningTask extends QueuedTask {
  /** When its holder last showed it was alive: the claim, or its latest heartbeat (epoch ms). */
  readonly heartbeatAt: number;
}

/** Names one attempt's task: `(run, phase, attempt)` is its idempotency key. */
export interface TaskKey {
  readonly runId: string;
  readonly phaseId: string;
  readonly attempt: number;
}

/**
 * A worker's hold on a claimed task. Until `expiresAt` no other worker may take the task; the
 * worker's loop renews it with `heartbeat`. An expired lease returns the attempt as lost
 * (`recoverExpired`), and the phase runs again as a new attempt.
 */
export interface Lease {
  readonly token: string;
  readonly expiresAt: number;
}

/** A task a worker claimed; `state` is the run right after `phase_started` was recorded. */
export interface ClaimedTask extends QueuedTask {
  readonly state: RunState;
  readonly events: readonly RunEvent[];
  /** The claim's commands: the attempt's `deadline` when its phase has a timeout. */
  readonly commands: readonly Command[];
  readonly lease: Lease;
}

/** One line of `baton runs`, one row of a list of runs. */
export interface RunSummary {
  readonly id: string;
  readonly tenantId: string;
  readonly workflowId: string;
  readonly status: RunStatus;
  /** The run's title (`run_titled`), if it has one. */
  readonly title?: string;
  /** The run's stage (`RunState.stage`: the workflow's `stages:`), when one holds. */
  readonly stage?: string;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/**
 * Which runs {@link RunStore.listRuns} returns: newest first — by `createdAt`, then `id`, both
 * descending — at most `limit` (all when undefined), optionally only those of one status or one
 * workflow. `before` pages (keyset): only runs strictly after that position in this order — pass
 * the last run of the previous page; a run created meanwhile never shifts a page.
 */
export interface ListRunsOptions {
  readonly limit?: number;
  readonly status?: RunStatus;
  readonly workflowId?: string;
  readonly before?: { readonly createdAt: number; readonly id: string };
}

/**
 * The outcome of {@link RunStore.deleteRun}: deleted, or refused (nothing deleted) —
 * `RUN_NOT_FOUND` for no such run, `INVALID_TRANSITION` while the run is running.
 */
export type DeleteRunResult = { readonly ok: true } | { readonly ok: false; readonly error: TransitionError };

/** A stored artifact version without its content ({@link RunStore.listArtifactVersions}). */
export interface ArtifactVersionRecord extends ArtifactRef {
  readonly runId: string;
  readonly phaseId: string;
  readonly createdAt: number;
}

/** A stored artifact version with its content. */
export interface StoredArtifact extends ArtifactRef {
  readonly runId: string;
  readonly phaseId: string;
  readonly createdAt: number;
  readonly content: string;
}

/** One stored version of a phase's output, within a run: what {@link RunStore.getArtifacts} reads. */
export interface ArtifactVersionRef {
  readonly phaseId: string;
  readonly version: number;
}

/**
 * A run's log grew: every event up to `lastSeq` is committed ({@link RunStore.subscribeEvents}).
 * Read the events by seq (`listEvents(runId, {afterSeq})`) — or take `events` when it is there.
 */
export interface RunEventsNotice {
  readonly tenantId: string;
  readonly runId: string;
  readonly lastSeq: number;
  /**
   * The events the commit appended, in seq order, up to `lastSeq` — only in a notice of this
   * store's own commit (never one from another process): a subscriber at the seq before the first
   * may take them instead of reading the log. Absent: read the log.
   */
  readonly events?: readonly RunEvent[];
}

/** Default lease of a claimed task: a worker that stops renewing it loses the task after this. */
export const DEFAULT_LEASE_MS = 30_000;

/**
 * Which tasks {@link RunStore.claim} takes: up to `limit` queued tasks due at `now` (`runAt <= now`),
 * earliest first, of one run or of all. Each is claimed in the store's transaction by applying a
 * `claim` input (`phase_started`) and gets a lease of `leaseMs`. A task whose claim the scheduler
 * ignores (stale: its attempt is no longer the ready one, the run is paused or ended) is deleted
 * and not returned, so a claim never fails for a stale task; fewer tasks (or none) than `limit`
 * come back when fewer are due. It fails only when the store does (a database error).
 */
export interface ClaimOptions {
  /** Only this run's tasks (the CLI drives one run). */
  readonly runId?: string;
  /** At most this many tasks (a worker's free capacity); 0 or less claims none. */
  readonly limit: number;
  /** The claim's time: tasks due at or before it; their leases run from it. */
  readonly now: number;
  /** Lease length (default {@link DEFAULT_LEASE_MS}). */
  readonly leaseMs?: number;
  /** Who claims, for diagnostics (`host:pid`). */
  readonly workerId?: string;
}

/**
 * How {@link RunStore.apply} applies an input beyond the scheduler's own rules. Neither option makes
 * an input fail: a result under a lease no longer held is ignored (`ignored` set, nothing
 * written), and `claimNext` claims what is due (possibly nothing) only after an input that was not
 * refused — a refused input (`ok: false`) claims nothing.
 */
export interface ApplyOptions {
  /**
   * For results (`succeed`/`fail`/`abandon`): the lease token the attempt ran under. A result whose
   * lease is no longer the task's (it expired and the task was recovered) is ignored.
   */
  readonly leaseToken?: string;
  /**
   * Claim, in the same transaction, up to `limit` due tasks (of `runId` when given) after applying
   * the input — one durable commit per step for a worker with free capacity.
   */
  readonly claimNext?: Omit<ClaimOptions, 'now'>;
}

/**
 * Durable storage of runs: the event log, the projections (runs, phases), artifacts and the task
 * queue, all in one database. Every mutation is one transaction decided under a lock on the run's
 * row: append events, update projections, store artifacts and enqueue/dequeue tasks commit together.
 *
 * Implementations: the in-memory store (`testing/`), and `@baton/store` on PGlite and PostgreSQL.
 * All pass `runStoreContract`.
 */
/** Which of a run's events {@link RunStore.listEvents} reads. */
export interface ListEventsOptions {
  /** Events after this seq (exclusive); 0 or absent: from the first. */
  readonly afterSeq?: number;
  /** At most this many (the first ones after `afterSeq`); absent: all. */
  readonly limit?: number;
}

export interface RunStore {
  /** Creates a run from a `create` input (already validated by the caller). */
  createRun(input: Extract<RunInput, { type: 'create' }>, now: number): Promise<Transition>;
  /**
   * Applies `input` to the run under its lock. Results of attempts (`succeed`, `fail`, `abandon`)
   * also mark their task finished, even when the result is stale and ignored.
   */
  apply(runId: string, input: RunInput, now: number, options?: ApplyOptions): Promise<Transition>;
  /** Claims due queued tasks (skipping stale ones, which are deleted) and records `phase_started`. */
  claim(options: ClaimOptions): Promise<ClaimedTask[]>;
  /** Earliest `runAt` among queued tasks, or undefined when none are queued. */
  nextDue(options?: { readonly runId?: string }): Promise<number | undefined>;
  /**
   * When a worker should look again: the earliest of the next queued task's `runAt` and the next
   * running task's lease expiry; undefined when there is neither.
   */
  nextWakeup(options?: { readonly runId?: string }): Promise<number | undefined>;
  /**
   * Renews the leases of running tasks the caller still holds (`expiresAt = now + leaseMs`) and
   * returns the ones it no longer holds (expired and recovered by someone else: stop them).
   */
  heartbeat(
    leases: readonly { readonly task: TaskKey; readonly token: string }[],
    now: number,
    leaseMs?: number,
  ): Promise<{ readonly lost: readonly TaskKey[] }>;
  /**
   * Stuck recovery: records every running task whose lease expired before `now` as lost
   * (`abandon {cause: lost}`: the phase runs again as a new attempt, or fails as STUCK past
   * `maxRecoveries`). Returns the transitions made.
   */
  recoverExpired(
    now: number,
    options?: { readonly runId?: string; readonly limit?: number },
  ): Promise<Transition[]>;
  /**
   * Calls `listener` after a transaction (of any process sharing the database) queued work or
   * changed a run: re-read then. Wake-ups carry no payload and may be coalesced or spurious.
   * Resolves to an unsubscribe function.
   */
  subscribe(listener: () => void): Promise<() => Promise<void>>;
  /**
   * Calls `listener` after every transaction that appended events to a run — a transition, a
   * claim, a recovery, a new run — once it committed, with the run's tenant and last seq: of this
   * store at once, and on PostgreSQL of other processes sharing the database too. A tenant's view
   * hears only its tenant's runs. Notices are hints, not the log: one may stand for several
   * commits, and one from another process may come late or, rarely, not at all (a listening
   * connection being replaced, a writer that has not heard yet that somebody listens) — so a
   * follower reads by seq after each notice and also now and then. Resolves to an unsubscribe
   * function.
   */
  subscribeEvents(listener: (notice: RunEventsNotice) => void): Promise<() => Promise<void>>;
  /**
   * Publishes an attempt's live progress to the progress subscribers of every store on the
   * database (this process's at once; others' through NOTIFY on PostgreSQL). Not durable: nobody
   * listening means it is gone. Long texts are cut to their end.
   */
  publishProgress(event: PhaseProgressEvent): Promise<void>;
  /** Calls `listener` with every progress event published; resolves to an unsubscribe function. */
  subscribeProgress(listener: (event: PhaseProgressEvent) => void): Promise<() => Promise<void>>;
  /**
   * Tasks claimed and not finished, in claim order, each with its latest sign of life: after a
   * crash, their attempts are lost.
   */
  runningTasks(options?: { readonly runId?: string }): Promise<RunningTask[]>;
  /** The run's current state (folded from its log), or undefined when there is no such run. */
  getRun(runId: string): Promise<RunState | undefined>;
  /** Runs, newest first, filtered and paged (see {@link ListRunsOptions}). */
  listRuns(options?: ListRunsOptions): Promise<RunSummary[]>;
  /**
   * Deletes a run with its log, phases, tasks and artifacts. Its model calls stay in the ledger
   * (they were spent; budgets count them), and so do, for now, stored file contents and the
   * contents its artifacts had in the blob store: contents are stored once per tenant by hash, so
   * other runs may share them. The SQL store's blob sweep (`@baton/store`, `sweepBlobs`) frees
   * later those no remaining row names. Refused with `RUN_NOT_FOUND` when there is no such run, and with `INVALID_TRANSITION`
   * while the run is running or has an attempt running (cancel it first). Nothing of a refused
   * delete changes.
   */
  deleteRun(runId: string): Promise<DeleteRunResult>;
  /** The run's events in order, after `afterSeq` (exclusive), at most `limit` of them (all without). */
  listEvents(runId: string, options?: ListEventsOptions): Promise<RunEvent[]>;
  /**
   * One version of a phase's output with its content, or undefined when there is no such version
   * (or no such run in this scope).
   */
  getArtifact(runId: string, phaseId: string, version: number): Promise<StoredArtifact | undefined>;
  /**
   * Many versions of one run's outputs in one read (a run's snapshot reads every phase's output):
   * one entry per ref, in the order of `refs` — the artifact, or undefined where
   * {@link getArtifact} would answer undefined (no such version; no such run in this scope, so
   * another tenant's artifacts are never returned). A ref given twice is answered twice; no refs
   * read nothing.
   */
  getArtifacts(runId: string, refs: readonly ArtifactVersionRef[]): Promise<(StoredArtifact | undefined)[]>;
  /**
   * Every stored version of a phase's output, oldest first, without contents — also the versions
   * a rewind or a map's new expansion left behind. Empty when the run (in this scope) or the phase
   * has none.
   */
  listArtifactVersions(runId: string, phaseId: string): Promise<ArtifactVersionRecord[]>;
  /** A file of a file-tree artifact by the hash in its manifest (UTF-8 text), or undefined. */
  getBlob(sha256: string): Promise<string | undefined>;
  /**
   * Records one model call in the ledger, in its own short transaction (calls happen inside an
   * attempt, not in a step). The run must exist: otherwise it throws a `RUN_NOT_FOUND` error.
   */
  recordModelCall(call: ModelCallRecord): Promise<void>;
  /** The run's model calls in the order they were recorded. */
  listModelCalls(runId: string): Promise<ModelCallRecord[]>;
  /** The run's usage: totals per phase and for the whole run. */
  modelUsage(runId: string): Promise<RunUsage>;
  close(): Promise<void>;
}

/** A tenant: whose runs they are. */
export interface Tenant {
  readonly id: string;
  readonly name: string;
}

/**
 * Tenancy of a store. Every run belongs to one tenant, and so does everything of it (events,
 * tasks, artifacts, file contents, model calls). A store value has a scope: one tenant, or all
 * tenants (the system scope: workers that serve every tenant, recovery, the CLI).
 *
 * In a tenant's scope every read and write sees only that tenant's runs: a run of another tenant
 * is indistinguishable from a missing one (`undefined`, `RUN_NOT_FOUND`, absent from lists),
 * claims and recovery take only that tenant's tasks, and a file content of another tenant is
 * unknown. `createRun` of a tenant's scope creates the run in that tenant; of the system scope,
 * in {@link LOCAL_TENANT}. Run ids are unique across tenants.
 */
export interface TenantScopes {
  /**
   * A view of the same store scoped to one tenant: it shares the database, the cache and the
   * subscriptions; its `close()` does nothing (close the store it came from). A tenant that does
   * not exist has no runs, and its `createRun` is refused (`INVALID_INPUT`) until
   * {@link ensureTenant} adds it.
   */
  forTenant(tenantId: string): RunStore;
  /** A view of the same store in the system scope (all tenants); its `close()` does nothing. */
  allTenants(): RunStore;
  /** Adds a tenant unless one with its id exists (whose name is then left as it is). */
  ensureTenant(tenant: Tenant, now: number): Promise<void>;
}

/** A store in the system scope that also hands out views scoped to one tenant or to all. */
export type ScopedRunStore = RunStore & TenantScopes;
