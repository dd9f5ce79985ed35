/**
 * The run driver: the loop that carries out the scheduler's commands. `drive(runId)` executes one
 * run's tasks until the run is idle (the CLI); `serve()` executes every run's tasks until shut down
 * (`baton worker`, any number of them on one PostgreSQL).
 *
 * Each attempt is claimed with a lease; the loop (never the handler) renews the leases of its
 * running attempts, so a worker whose process dies loses its tasks when the lease expires and the
 * sweep (`recoverExpired`, at most every 30 s, or when a known lease expires) runs them again as new
 * attempts. A result is reported with its lease token, and the same transaction claims the tasks
 * it made ready for this worker (one durable commit per step). There is no polling: the loop wakes
 * when a task finishes, when the store reports work from another transaction, and at the earliest
 * due retry or lease expiry.
 *
 * Loop states:
 *   claiming   -> executing (tasks claimed) | sleeping | done (drive: nothing queued or running)
 *   executing  -> claiming (a task finished, or a wake-up)
 *   sleeping   -> claiming (timer, wake-up, task finished)
 *   stopping   (interrupt / shutdown) -> done once running attempts are reported
 */
import { hostname } from 'node:os';
import {
  DEFAULT_LEASE_MS,
  ErrorCode,
  type ApplyOptions,
  type ClaimedTask,
  type RunInput,
  type TaskKey,
  type Transition,
} from '@baton/engine';
import { ArtifactCache, type ArtifactReader } from './artifact-cache.js';
import { runAttempt } from './run-attempt.js';
import { createAttemptContext } from './attempt-context.js';
import type { DriveOptions, DriveOutcome, RunDriverOptions } from './run-driver-options.js';
import { Wakeup } from './wakeup.js';

export type { HandlerLookup } from './run-attempt.js';
export type { DriveOptions, DriveOutcome, RunDriverOptions } from './run-driver-options.js';

interface Running {
  readonly task: ClaimedTask;
  readonly controller: AbortController;
}

/** How soon to look again at a due task that could not be claimed (its run was busy). */
const DUE_RETRY_MS = 50;

/**
 * Executes the attempts of runs from a {@link RunStore}: claims due tasks with a lease, runs each
 * with its phase's handler (never more than `concurrency` at once), keeps the leases renewed,
 * reports every result in a transaction that also claims what it made ready, recovers attempts
 * whose lease expired (and stops the processes they left behind, with `processes`), and sleeps
 * until a wake-up, a due retry or a lease expiry. One driver runs one loop at a time: call
 * {@link drive} or {@link serve}, not both at once.
 *
 * A handler's failure or crash is a failed attempt (data, not an exception); the result of a run
 * deleted meanwhile is dropped. The loop itself fails — `drive`/`serve` reject once the running
 * attempts were aborted — only when the store does (a refused or failed transaction); the run
 * stays recoverable, as its leases expire.
 */
export class RunDriver {
  private readonly concurrency: number;
  private readonly leaseMs: number;
  private readonly sweepMs: number;
  private readonly workerId: string;
  private readonly running = new Map<string, Running>();
  private readonly inFlight = new Set<Promise<void>>();
  /** Slots a finishing attempt's own transaction may fill (`claimNext`). */
  private reserved = 0;
  private readonly artifacts = new ArtifactCache();
  private readonly read: ArtifactReader;
  private readonly wakeup = new Wakeup();
  private interrupted = false;
  private stopping = false;
  private fatal: Error | undefined;
  /** Something may be claimable: claim before sleeping. */
  private dirty = true;

  constructor(private readonly options: RunDriverOptions) {
    this.concurrency = Math.max(1, options.concurrency ?? 4);
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    this.sweepMs = options.sweepMs ?? 30_000;
    this.workerId = options.workerId ?? `${hostname()}:${process.pid}`;
    this.read = this.artifacts.reader(options.store);
  }

  /**
   * Executes one run's tasks until nothing of it is queued or running anywhere (the run ended,
   * waits for a person, or is paused), or until {@link interrupt}. Rejects when the store fails,
   * or when the run disappears from it.
   */
  async drive(runId: string, options: DriveOptions = {}): Promise<DriveOutcome> {
    const { store } = this.options;
    if (options.recoverOrphans === true) {
      const orphans = await store.runningTasks({ runId });
      // Stop what the dead owner's attempts left running before their phases run again.
      await this.stopAbandoned(orphans.map(({ runId, phaseId, attempt }) => ({ runId, phaseId, attempt })));
      for (const task of orphans) {
        await this.report(runId, {
          type: 'abandon',
          phaseId: task.phaseId,
          attempt: task.attempt,
          cause: 'lost',
        });
      }
    }
    const interrupted = await this.loop(runId);
    const state = await store.getRun(runId);
    if (state === undefined) throw new Error(`run ${runId} disappeared from the store`);
    return { state, stopped: interrupted ? 'interrupted' : 'idle' };
  }

  /**
   * Executes every run's tasks until {@link shutdown} or {@link interrupt} (`baton worker`).
   * Rejects when the store fails.
   */
  async serve(): Promise<void> {
    await this.loop(undefined);
  }

  /**
   * Graceful stop: claims nothing more and lets running attempts finish for up to `graceMs`; the
   * ones still running then are aborted and released (recorded as interrupted: they run again at
   * once elsewhere, without counting as a crash).
   */
  async shutdown(graceMs: number): Promise<void> {
    this.stopping = true;
    this.wakeup.notify();
    const all = Promise.all(this.inFlight);
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<'grace'>((resolve) => {
      timer = setTimeout(() => resolve('grace'), graceMs);
    });
    const result = await Promise.race([all.then(() => 'done' as const), grace]);
    clearTimeout(timer);
    if (result === 'grace') this.interrupt();
    await all;
  }

  /**
   * Applies an input from outside (a person's decision, pause, resume, cancel) while this driver
   * runs: its `abort` commands stop the running attempts they name, and the loop wakes to claim
   * what it made ready. A refused input is returned (`ok: false`), not thrown.
   */
  async apply(runId: string, input: RunInput): Promise<Transition> {
    const transition = await this.record(runId, input);
    this.dirty = true;
    this.wakeup.notify();
    return transition;
  }

  /**
   * Carries out what an input recorded elsewhere on the store (this process's HTTP API) asks of
   * running attempts: its `abort` commands stop them at once, not at the next heartbeat.
   */
  observe(runId: string, transition: Transition): void {
    if (!transition.ok) return;
    this.abortNamed(runId, transition);
    this.dirty = true;
    this.wakeup.notify();
  }

  /**
   * Stops now (Ctrl-C): running attempts are aborted and recorded as interrupted, so the run stays
   * in flight and a later `drive()` (`baton resume`) starts them again as new attempts.
   */
  interrupt(): void {
    this.interrupted = true;
    this.stopping = true;
    for (const running of this.running.values()) running.controller.abort('interrupted');
    this.wakeup.notify();
  }

  /** Returns whether it was interrupted. `runId` undefined serves every run until stopped. */
  private async loop(runId: string | undefined): Promise<boolean> {
    const { store, clock } = this.options;
    const unsubscribe = await store.subscribe(() => {
      this.dirty = true;
      this.wakeup.notify();
    });
    const heartbeat = setInterval(() => void this.heartbeat(), Math.max(10, Math.floor(this.leaseMs / 3)));
    heartbeat.unref();
    let nextSweep = 0;
    try {
      for (;;) {
        if (this.stopping) break;
        let now = clock.now();
        const swept = now >= nextSweep;
        if (swept) {
          // Recovery may wait for a lost attempt's processes to stop: time moved on.
          await this.recoverExpired(runId);
          now = clock.now();
          nextSweep = now + this.sweepMs;
        }
        const capacity = this.concurrency - this.running.size - this.reserved;
        const claiming = capacity > 0 && this.dirty;
        if (claiming) {
          this.dirty = false;
          const claimed = await store.claim({
            runId,
            limit: capacity,
            now,
            leaseMs: this.leaseMs,
            workerId: this.workerId,
          });
          for (const task of claimed) this.start(task, runId);
          if (claimed.length > 0) continue;
        }
        if (capacity <= 0) {
          // Full: a finishing attempt frees a slot and wakes the loop; serving still sweeps.
          await this.wakeup.sleep(runId === undefined ? Math.max(0, nextSweep - now) : undefined);
          continue;
        }
        const wakeAt = await store.nextWakeup(runId === undefined ? {} : { runId });
        // Idle: nothing of this run is queued or leased anywhere, and no result of ours is pending.
        if (runId !== undefined && this.inFlight.size === 0 && wakeAt === undefined) break;
        now = clock.now();
        let wait: number | undefined;
        if (wakeAt !== undefined && wakeAt <= now) {
          if (!(claiming && swept)) {
            // A retry is due, or a lease expired: claim and recover now rather than at the next sweep.
            this.dirty = true;
            nextSweep = Math.min(nextSweep, now);
            continue;
          }
          // Due but not claimable this instant (its run is locked by another transaction): look again soon.
          wait = DUE_RETRY_MS;
        } else {
          wait = wakeAt === undefined ? undefined : wakeAt - now;
        }
        if (runId === undefined)
          wait = Math.max(0, Math.min(wait ?? Number.POSITIVE_INFINITY, nextSweep - now));
        await this.wakeup.sleep(wait);
        if (wait !== undefined && clock.now() >= now + wait) {
          this.dirty = true;
          if (wakeAt !== undefined && wakeAt <= clock.now()) nextSweep = Math.min(nextSweep, clock.now());
        }
      }
      await Promise.all(this.inFlight);
    } finally {
      clearInterval(heartbeat);
      await unsubscribe();
    }
    const { fatal, interrupted } = this;
    this.fatal = undefined;
    this.interrupted = false;
    this.stopping = false;
    this.dirty = true;
    if (fatal !== undefined) throw fatal;
    return interrupted;
  }

  private start(task: ClaimedTask, runScope: string | undefined): void {
    this.options.onTransition?.({
      ok: true,
      state: task.state,
      events: task.events,
      commands: task.commands,
    });
    const execution = this.execute(task, runScope)
      .catch((error: unknown) => {
        // The store refused or failed: stop; the run stays recoverable (its leases expire).
        this.fatal ??=
          error instanceof Error ? error : new Error('a run transition failed', { cause: error });
        this.interrupt();
      })
      .finally(() => {
        this.inFlight.delete(execution);
        // Wake the loop only when it has something to do: claim (dirty), notice the run went idle,
        // or finish stopping. A result whose transaction claimed all it made ready needs nothing.
        if (this.dirty || this.inFlight.size === 0 || this.stopping) this.wakeup.notify();
      });
    this.inFlight.add(execution);
  }

  private async execute(task: ClaimedTask, runScope: string | undefined): Promise<void> {
    const key = taskKey(task.runId, task.phaseId, task.attempt);
    const controller = new AbortController();
    this.running.set(key, { task, controller });
    let reserved = 0;
    try {
      const input = await runAttempt(this.read, this.options.handlers, task, controller, {
        now: () => this.options.clock.now(),
        interrupted: () => this.interrupted,
        context: createAttemptContext(this.options.store, task, this.options.clock, this.options.onProgress),
      });
      this.running.delete(key);
      // The slots this result may fill in its own transaction are reserved, so the loop (woken by
      // the same commit) does not claim them too.
      const capacity = this.concurrency - this.running.size - this.reserved;
      const claimNext: ApplyOptions['claimNext'] =
        this.stopping || capacity <= 0
          ? undefined
          : {
              limit: capacity,
              leaseMs: this.leaseMs,
              workerId: this.workerId,
              ...(runScope === undefined ? {} : { runId: runScope }),
            };
      reserved = claimNext?.limit ?? 0;
      this.reserved += reserved;
      const transition = await this.record(task.runId, input, {
        leaseToken: task.lease.token,
        ...(claimNext === undefined ? {} : { claimNext }),
      });
      if (!transition.ok) {
        // The run was deleted while this attempt stopped (its cancel finished the task): drop it.
        this.dirty = true;
        if (transition.error.code === ErrorCode.runNotFound) return;
        throw new Error(`${input.type} of ${task.runId} was refused: ${transition.error.message}`);
      }
      // The next phase of a chain reads this output from memory.
      this.artifacts.rememberOutputs(task.runId, input, transition.events);
      const claimed = transition.claimed ?? [];
      for (const next of claimed) this.start(next, runScope);
      // Fewer claimed than asked: nothing else was due for us at commit time.
      if (claimNext === undefined || claimed.length >= claimNext.limit) this.dirty = true;
      const now = this.options.clock.now();
      if (transition.commands.some((c) => c.type === 'enqueue' && c.runAt > now)) this.dirty = true;
    } finally {
      this.reserved -= reserved;
      this.running.delete(key);
    }
  }

  /** Renews the leases of running attempts; stops the ones another worker took over. */
  private async heartbeat(): Promise<void> {
    if (this.running.size === 0) return;
    const leases = [...this.running.values()].map(({ task }) => ({
      task: { runId: task.runId, phaseId: task.phaseId, attempt: task.attempt },
      token: task.lease.token,
    }));
    try {
      const { lost } = await this.options.store.heartbeat(leases, this.options.clock.now(), this.leaseMs);
      for (const task of lost) {
        this.running.get(taskKey(task.runId, task.phaseId, task.attempt))?.controller.abort('lease lost');
      }
    } catch {
      // A missed heartbeat is retried at the next tick; the lease outlives a few misses.
    }
  }

  private async recoverExpired(runId: string | undefined): Promise<void> {
    const transitions = await this.options.store.recoverExpired(
      this.options.clock.now(),
      runId === undefined ? {} : { runId },
    );
    const lost: TaskKey[] = [];
    for (const transition of transitions) {
      if (transition.ok && transition.events.length > 0) {
        this.dirty = true;
        this.options.onTransition?.(transition);
        for (const event of transition.events) {
          if (event.type === 'phase_failed' && event.abandoned === 'lost') {
            lost.push({ runId: transition.state.runId, phaseId: event.phaseId, attempt: event.attempt });
          }
        }
      }
    }
    await this.stopAbandoned(lost);
  }

  /** Stops the processes that lost attempts left running on this machine (see `processes`). */
  private async stopAbandoned(tasks: readonly TaskKey[]): Promise<void> {
    const { processes } = this.options;
    if (processes === undefined) return;
    await Promise.all(tasks.map((task) => processes.stopAbandoned(task)));
  }

  /** Records a result of this driver's own; a refusal is a bug or a broken store, so it throws. */
  private async report(
    runId: string,
    input: RunInput,
    options?: ApplyOptions,
  ): Promise<Extract<Transition, { ok: true }>> {
    const transition = await this.record(runId, input, options);
    if (!transition.ok) throw new Error(`${input.type} of ${runId} was refused: ${transition.error.message}`);
    return transition;
  }

  /** Records an input and carries out the commands that act on running attempts. */
  private async record(runId: string, input: RunInput, options?: ApplyOptions): Promise<Transition> {
    const transition = await this.options.store.apply(runId, input, this.options.clock.now(), options);
    if (!transition.ok) return transition;
    if (transition.events.length > 0) this.options.onTransition?.(transition);
    this.abortNamed(runId, transition);
    return transition;
  }

  private abortNamed(runId: string, transition: Extract<Transition, { ok: true }>): void {
    for (const command of transition.commands) {
      if (command.type !== 'abort') continue;
      this.running.get(taskKey(runId, command.phaseId, command.attempt))?.controller.abort(command.reason);
    }
  }
}

function taskKey(runId: string, phaseId: string, attempt: number): string {
  return `${runId}\u0000${phaseId}\u0000${attempt}`;
}
