/**
 * The run driver: the loop that carries out the scheduler's commands for one run (the CLI drives
 * the run it started; the server will drive all runs). It claims due tasks up to its concurrency,
 * executes them with the phase handlers, and reports each result back to the store — which records
 * it, makes dependents ready and queues them in the same transaction. The loop claims again right
 * after each commit, so there is no polling interval between a completion and its dependents'
 * start; the only timer is the one for the earliest retry that is not due yet.
 *
 * Loop states:
 *   claiming  -> executing (tasks claimed) | sleeping (a task is queued but not due) | done
 *   executing -> claiming (a task finished) | interrupted (interrupt())
 *   sleeping  -> claiming (timer fired, or a task finished)
 *   done: nothing running and nothing queued — the run ended, waits for a person, or is paused.
 */
import type {
  ClaimedTask,
  Clock,
  PhaseDefinition,
  PhaseHandler,
  RunInput,
  RunState,
  RunStore,
  Transition,
} from '@baton/engine';
import { buildPhaseTask } from './build-phase-task.js';
import { formatDuration } from './format-duration.js';

/** Finds the handler of a phase (by kind, and agent name for agents). */
export interface HandlerLookup {
  forPhase(phase: PhaseDefinition): PhaseHandler | undefined;
}

export interface RunDriverOptions {
  readonly store: RunStore;
  readonly handlers: HandlerLookup;
  readonly clock: Clock;
  /** How many attempts run at once (default 4). */
  readonly concurrency?: number;
  /** Called after every committed transition (for live progress). */
  readonly onTransition?: (transition: Extract<Transition, { ok: true }>) => void;
}

/** Why {@link RunDriver.drive} returned. */
export type DriveOutcome = {
  readonly state: RunState;
  /** `idle`: nothing is running or queued (the run ended, waits for a person, or is paused). */
  readonly stopped: 'idle' | 'interrupted';
};

interface Running {
  readonly task: ClaimedTask;
  readonly controller: AbortController;
}

export class RunDriver {
  private readonly concurrency: number;
  private readonly running = new Map<string, Running>();
  private interrupted = false;
  private fatal: Error | undefined;
  private wake: (() => void) | undefined;
  private woken = false;

  constructor(private readonly options: RunDriverOptions) {
    this.concurrency = Math.max(1, options.concurrency ?? 4);
  }

  /**
   * Drives the run until nothing is running or queued. Attempts a previous process left running
   * (it was killed) are recorded as lost first; they run again as new attempts.
   */
  async drive(runId: string): Promise<DriveOutcome> {
    const { store } = this.options;
    for (const task of await store.runningTasks({ runId })) {
      await this.report(runId, {
        type: 'abandon',
        phaseId: task.phaseId,
        attempt: task.attempt,
        cause: 'lost',
      });
    }
    const inFlight = new Set<Promise<void>>();
    for (;;) {
      if (this.interrupted) break;
      const capacity = this.concurrency - this.running.size;
      if (capacity > 0) {
        const claimed = await store.claim({ runId, limit: capacity, now: this.options.clock.now() });
        for (const task of claimed) {
          this.options.onTransition?.({ ok: true, state: task.state, events: task.events, commands: [] });
          const execution = this.execute(task)
            .catch((error: unknown) => {
              // The store refused or failed: stop driving; the run stays recoverable.
              this.fatal ??=
                error instanceof Error ? error : new Error('a run transition failed', { cause: error });
              this.interrupt();
            })
            .finally(() => {
              inFlight.delete(execution);
              this.notify();
            });
          inFlight.add(execution);
        }
        if (claimed.length > 0) continue;
      }
      const nextDue = await store.nextDue({ runId });
      if (this.running.size === 0 && nextDue === undefined) break;
      const wait =
        nextDue === undefined || capacity === 0 ? undefined : Math.max(0, nextDue - this.options.clock.now());
      await this.sleep(wait);
    }
    await Promise.all(inFlight);
    // The interrupt and the failure belong to this drive: a later drive() starts afresh.
    const { fatal, interrupted } = this;
    this.fatal = undefined;
    this.interrupted = false;
    if (fatal !== undefined) throw fatal;
    const state = await store.getRun(runId);
    if (state === undefined) throw new Error(`run ${runId} disappeared from the store`);
    return { state, stopped: interrupted ? 'interrupted' : 'idle' };
  }

  /**
   * Applies an input from outside (a person's decision, pause, resume, cancel) to a run while this
   * driver drives it: the store records it, its `abort` commands stop the running attempts they
   * name (their late results are ignored), and the loop wakes to claim what it made ready. A refused
   * input is returned (`ok: false`), not thrown. An input applied straight to the store instead
   * cannot reach this driver's running attempts.
   */
  async apply(runId: string, input: RunInput): Promise<Transition> {
    const transition = await this.record(runId, input);
    this.notify();
    return transition;
  }

  /**
   * Stops driving (Ctrl-C): running attempts are aborted and recorded as interrupted, so the run
   * stays in flight and a later `drive()` (`baton resume`) starts them again as new attempts.
   */
  interrupt(): void {
    this.interrupted = true;
    for (const running of this.running.values()) running.controller.abort('interrupted');
    this.notify();
  }

  private async execute(task: ClaimedTask): Promise<void> {
    const key = `${task.phaseId}#${task.attempt}`;
    const controller = new AbortController();
    this.running.set(key, { task, controller });
    // The scheduler's `deadline` command: past it the attempt is stopped and fails with TIMEOUT.
    let timedOut: string | undefined;
    const deadline = task.commands.find((c) => c.type === 'deadline');
    const timer =
      deadline === undefined
        ? undefined
        : setTimeout(
            () => {
              const limit = task.state.workflow.phases.find((p) => p.id === task.phaseId)?.timeoutMs ?? 0;
              timedOut = `timed out after ${formatDuration(limit)}`;
              controller.abort(timedOut);
            },
            Math.max(0, deadline.at - this.options.clock.now()),
          );
    try {
      const input = await this.runAttempt(task, controller.signal);
      const { phaseId, attempt } = task;
      // A result that came in despite an interrupt or a deadline is kept: the work is done.
      let outcome = input;
      if (input.type !== 'succeed' && this.interrupted) {
        outcome = { type: 'abandon', phaseId, attempt, cause: 'interrupted' };
      } else if (input.type !== 'succeed' && timedOut !== undefined) {
        outcome = {
          type: 'fail',
          phaseId,
          attempt,
          error: { code: 'TIMEOUT', message: timedOut },
          retryable: true,
        };
      }
      await this.report(task.runId, outcome);
    } finally {
      if (timer !== undefined) clearTimeout(timer);
      this.running.delete(key);
    }
  }

  private async runAttempt(task: ClaimedTask, signal: AbortSignal): Promise<RunInput> {
    const { phaseId, attempt } = task;
    const prepared = await buildPhaseTask(this.options.store, task);
    if (!prepared.ok) return { type: 'fail', phaseId, attempt, error: prepared.error, retryable: false };
    const handler = this.options.handlers.forPhase(prepared.task.phase);
    if (handler === undefined) {
      const what =
        prepared.task.phase.agent === undefined
          ? prepared.task.phase.kind
          : `agent "${prepared.task.phase.agent}"`;
      return {
        type: 'fail',
        phaseId,
        attempt,
        error: { code: 'NO_HANDLER', message: `no handler for ${what}` },
        retryable: false,
      };
    }
    try {
      const result = await handler.execute(prepared.task, signal);
      if (result.ok) return { type: 'succeed', phaseId, attempt, output: result.output };
      return { type: 'fail', phaseId, attempt, error: result.error, retryable: result.retryable };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { type: 'fail', phaseId, attempt, error: { code: 'HANDLER_CRASHED', message }, retryable: true };
    }
  }

  /** Records a result of this driver's own; a refusal is a bug or a broken store, so it throws. */
  private async report(runId: string, input: RunInput): Promise<void> {
    const transition = await this.record(runId, input);
    if (!transition.ok) throw new Error(`${input.type} of ${runId} was refused: ${transition.error.message}`);
  }

  /** Records an input and carries out the commands that act on running attempts. */
  private async record(runId: string, input: RunInput): Promise<Transition> {
    const transition = await this.options.store.apply(runId, input, this.options.clock.now());
    if (!transition.ok) return transition;
    if (transition.events.length > 0) this.options.onTransition?.(transition);
    for (const command of transition.commands) {
      if (command.type !== 'abort') continue;
      this.running.get(`${command.phaseId}#${command.attempt}`)?.controller.abort(command.reason);
    }
    return transition;
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    if (wake === undefined) this.woken = true;
    else wake();
  }

  /** Sleeps until notified or `ms` passed; a notification that came before the sleep counts. */
  private sleep(ms: number | undefined): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = ms === undefined ? undefined : setTimeout(() => this.notify(), ms);
      this.wake = () => {
        if (timer !== undefined) clearTimeout(timer);
        this.woken = false;
        resolve();
      };
    });
  }
}
