import {
  BatonError,
  type ArtifactRef,
  type Command,
  type FileBlob,
  type Lease,
  type PhaseKind,
  type PhaseState,
  type QueuedTask,
  type RunEvent,
  type RunEventsNotice,
  type RunState,
} from '@baton/engine';
import { ContentPlacement } from './blobs/content-placement.js';
import type { Queryable } from './db.js';
import type { StoreTransaction } from './run-store/mutate.js';
import { writeStep, type StepRows } from './sql/write-step.js';

/** What a step decided: the new state, its events and its commands. */
export interface StepOutcome {
  readonly state: RunState;
  readonly events: readonly RunEvent[];
  readonly commands: readonly Command[];
}

/** A task row to insert: queued, or already claimed (`lease`). */
interface TaskRow {
  readonly phaseId: string;
  readonly attempt: number;
  readonly kind: PhaseKind;
  readonly runAt: number;
}

/**
 * Everything one write does to one run — a statement of its own, or one inside a transaction —
 * gathered from the step outcomes applied to it (results, then the claims of the tasks they made
 * ready) and written by one statement (`sql/write-step.ts`): the events, the phases that changed,
 * the run's row, the task rows, the artifacts and file contents.
 *
 * The statement is guarded: it writes nothing unless the run's row is still at the sequence number
 * the first outcome was decided on (and the tasks of the attempts given to {@link requireLease}
 * still run under those leases). Holding the run's lock the guard always passes; without the lock
 * (`apply`'s one-statement path) it is what makes the write safe: a run that moved meanwhile is
 * left untouched and the caller decides again on the newer state.
 */
export class StepWrite {
  private state: RunState;
  private readonly events: RunEvent[] = [];
  private readonly queued = new Map<string, TaskRow>();
  private readonly claimed = new Map<
    string,
    TaskRow & { readonly lease: Lease; readonly workerId: string | undefined }
  >();
  private readonly finished: { phaseId: string; attempt: number }[] = [];
  private readonly dequeued = new Set<string>();
  private readonly artifacts: { phaseId: string; artifact: ArtifactRef; text: string }[] = [];
  private readonly blobs = new Map<string, FileBlob>();
  private readonly leases: { phaseId: string; attempt: number; token: string }[] = [];

  /** The committed state the write starts from; undefined for a new run (every phase is written). */
  private readonly before: RunState | undefined;
  /** Where the contents go: their rows, or the blob store above its threshold. */
  private readonly contents: ContentPlacement;

  /**
   * @param start the committed state the write starts from — or, with `newRun`, the first state of
   *   a run whose row the transaction has just inserted.
   * @param tenantId the run's tenant (from its row): every row the write adds carries it.
   * @param options.contents where contents go (the store's); without it, all in their rows (a
   *   write that stores no output: claims, recovery).
   */
  constructor(
    start: RunState,
    readonly tenantId: string,
    options: { readonly newRun?: boolean; readonly contents?: ContentPlacement } = {},
  ) {
    this.before = options.newRun === true ? undefined : start;
    this.state = start;
    this.contents = options.contents ?? KEEP_IN_ROWS;
  }

  get runId(): string {
    return this.state.runId;
  }

  /** The state after everything added so far. */
  get current(): RunState {
    return this.state;
  }

  /** Adds a step's outcome (decided on {@link current}): its events, state and commands. */
  add(outcome: StepOutcome): void {
    this.events.push(...outcome.events);
    this.state = outcome.state;
    for (const command of outcome.commands) {
      switch (command.type) {
        case 'enqueue':
          this.queued.set(key(command.phaseId, command.attempt), {
            phaseId: command.phaseId,
            attempt: command.attempt,
            kind: command.kind,
            runAt: command.runAt,
          });
          break;
        case 'dequeue':
          // Queued by an earlier outcome of this write: never written. Queued before: deleted.
          for (const [k, task] of this.queued) if (task.phaseId === command.phaseId) this.queued.delete(k);
          this.dequeued.add(command.phaseId);
          break;
        case 'store_artifact':
          this.artifacts.push({
            phaseId: command.phaseId,
            artifact: command.artifact,
            text: command.payload.text,
          });
          for (const blob of command.payload.files ?? []) this.blobs.set(blob.sha256, blob);
          break;
        case 'abort':
          // Finish the aborted attempt's task: its holder — in this process or another — learns at
          // its next heartbeat that the lease is gone and stops the attempt.
          this.finish(command.phaseId, command.attempt);
          break;
        case 'deadline':
          break;
      }
    }
  }

  /** Marks an attempt's task done (its result arrived, even a stale one). */
  finish(phaseId: string, attempt: number): void {
    this.finished.push({ phaseId, attempt });
  }

  /** Writes nothing unless the attempt's task still runs under `token`. */
  requireLease(phaseId: string, attempt: number, token: string): void {
    this.leases.push({ phaseId, attempt, token });
  }

  /**
   * Gives a task to a worker under `lease`: the row (queued by this write, or before it) becomes
   * `running`. Add the claim's outcome with {@link add} first.
   */
  claim(task: Omit<QueuedTask, 'runId' | 'tenantId'>, lease: Lease, workerId: string | undefined): void {
    const k = key(task.phaseId, task.attempt);
    this.queued.delete(k);
    this.claimed.set(k, {
      phaseId: task.phaseId,
      attempt: task.attempt,
      kind: task.kind,
      runAt: task.runAt,
      lease,
      workerId,
    });
  }

  /** How many tasks this write leaves queued (for any worker: they need waking). */
  get leftQueued(): number {
    return this.queued.size;
  }

  /** Whether the run's status differs from the one the write started from. */
  get statusChanged(): boolean {
    return this.before === undefined || this.before.status !== this.state.status;
  }

  /** The run's log after this write, when the write appends events (for other processes). */
  get notice(): RunEventsNotice | undefined {
    if (this.events.length === 0) return undefined;
    return { tenantId: this.tenantId, runId: this.runId, lastSeq: this.state.seq };
  }

  /** {@link notice} with the events it appended, for this store's own subscribers. */
  get localNotice(): RunEventsNotice | undefined {
    const notice = this.notice;
    return notice === undefined ? undefined : { ...notice, events: [...this.events] };
  }

  /** Whether there is anything to write. */
  get empty(): boolean {
    return (
      this.events.length === 0 &&
      this.queued.size === 0 &&
      this.claimed.size === 0 &&
      this.finished.length === 0 &&
      this.dequeued.size === 0
    );
  }

  /**
   * Writes it all inside a transaction that holds the run's lock (or inserted its row), where the
   * guard cannot fail: a failure is a bug, reported as one. Reports the events it appended to
   * the transaction (`tx.appended`), and notifies other processes of them when `tx.notifyEvents`.
   */
  async writeLocked(tx: StoreTransaction, now: number): Promise<void> {
    if (!(await this.write(tx, now, { events: tx.notifyEvents }))) {
      throw new BatonError('INTERNAL', `run ${this.runId} moved past the state it was locked at`);
    }
    const notice = this.localNotice;
    if (notice !== undefined) tx.appended(notice);
  }

  /**
   * Writes it all in one statement; `notify.wakeup` also sends the wake-up notification, and
   * `notify.events` the run-event notice (when it appends events). Returns false (having written
   * nothing) when the guard failed: the run's row is not at the expected sequence number, or the
   * required lease is gone.
   *
   * Contents above the threshold are put in the blob store first (`blobs/content-placement.ts`):
   * the row that names one is written only once it is there. Inside a transaction that holds the
   * run's lock this holds the lock for the put too — only for large contents.
   */
  async write(
    db: Queryable,
    now: number,
    notify: { readonly wakeup?: boolean; readonly events?: boolean } = {},
  ): Promise<boolean> {
    const { before, state } = this;
    const phases: PhaseState[] = [];
    // The fold replaces exactly the phase objects an event touched (a map's instances included,
    // also those that left the run when it read its items again).
    for (const id in state.phases) {
      const phase = state.phases[id]!;
      if (phase !== before?.phases[id]) phases.push(phase);
    }
    const rows: StepRows = {
      runId: state.runId,
      tenantId: this.tenantId,
      expectedSeq: before?.seq ?? state.seq,
      run: {
        status: state.status,
        seq: state.seq,
        updatedAt: state.updatedAt,
        title: state.title,
        titleSetByPerson: state.titleSetByPerson === true,
        stage: state.stage,
      },
      events: this.events,
      phases,
      leases: this.leases,
      finished: this.finished,
      dequeued: [...this.dequeued],
      queued: [...this.queued.values()],
      claimed: [...this.claimed.values()],
      artifacts: await Promise.all(
        this.artifacts.map(async ({ phaseId, artifact, text }) => ({
          phaseId,
          artifact,
          placed: await this.contents.place(this.tenantId, text),
        })),
      ),
      blobs: await Promise.all(
        [...this.blobs.values()].map(async ({ sha256, size, text }) => ({
          sha256,
          size,
          placed: await this.contents.place(this.tenantId, text),
        })),
      ),
      now,
      notify: notify.wakeup === true,
      eventsNotice: notify.events === true ? this.notice : undefined,
    };
    return writeStep(db, rows);
  }
}

/** Every content in its row: for writes without the store's placement (they store no output). */
const KEEP_IN_ROWS = new ContentPlacement(undefined);

function key(phaseId: string, attempt: number): string {
  return `${phaseId}\u0000${attempt}`;
}
