/**
 * What a `RunDriver` is given and what its `drive` returns: the store, the handlers, the
 * clock, concurrency, the lease and the sweep, the records of tool processes, and the listeners
 * for transitions and progress.
 */
import type { Clock, RunState, RunStore, Transition } from '@baton/engine';
import type { AttemptProcesses } from './attempt-processes.js';
import type { ProgressListener } from './attempt-context.js';
import type { HandlerLookup } from './run-attempt.js';

/** Options of `RunDriver`. */
export interface RunDriverOptions {
  /** Where runs, their queue and leases live; every decision is a transaction on it. */
  readonly store: RunStore;
  /** The handlers that execute claimed attempts (by phase kind, and agent name for agents). */
  readonly handlers: HandlerLookup;
  /** Time for leases, retries, deadlines and recorded events. */
  readonly clock: Clock;
  /** How many attempts run at once (default 4; less than 1 counts as 1). */
  readonly concurrency?: number;
  /**
   * Lease of a claimed task (default 30 s, `DEFAULT_LEASE_MS`); renewed every `leaseMs / 3`. When
   * this process dies, its running attempts come back this long after their last renewal. Keep it
   * well above the longest pause the process may have (a stalled event loop loses its leases).
   */
  readonly leaseMs?: number;
  /** Backstop sweep for expired leases, at most this often (default 30 s). */
  readonly sweepMs?: number;
  /** Names this worker in the queue (default `host:pid`). */
  readonly workerId?: string;
  /**
   * The records of the process groups tool attempts started (the same ones the tool handler
   * writes). When an attempt is recovered as lost — its lease expired, or `recoverOrphans` — the
   * group it left running on this machine is stopped. Without it, nothing is stopped.
   */
  readonly processes?: AttemptProcesses;
  /** Called after every committed transition (for live progress). */
  readonly onTransition?: (transition: Extract<Transition, { ok: true }>) => void;
  /** Receives the attempts' live progress (an agent's text as it streams). */
  readonly onProgress?: ProgressListener;
}

/** Why `RunDriver.drive` returned. */
export type DriveOutcome = {
  readonly state: RunState;
  /** `idle`: nothing is running or queued (the run ended, waits for a person, or is paused). */
  readonly stopped: 'idle' | 'interrupted';
};

export interface DriveOptions {
  /**
   * Record the run's running tasks as lost before driving. Only for a process that owns the
   * database (an embedded home): nobody else can be running them.
   */
  readonly recoverOrphans?: boolean;
}
