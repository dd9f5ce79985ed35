import { RunDriver, systemClock, type HandlerRegistry } from '@baton/runtime';
import { cliAttemptProcesses } from './attempt-records.js';
import { createCliHandlers } from './handlers.js';
import { ExitCode } from './exit-code.js';
import { faultInjector } from './fault-injection.js';
import type { DrivingHome } from './driving-home.js';
import type { DriveFlags } from './drive-flags.js';
import { settle } from './settle-loop.js';
import type { Submissions } from './submit-flags.js';
import { ProgressView } from './progress-view.js';
import { watchWaits } from './wait-watch.js';

export interface SessionOptions {
  readonly home: DrivingHome;
  readonly runId: string;
  /** Approve every gate automatically. */
  readonly auto: boolean;
  /** Print the final snapshot as JSON on stdout. */
  readonly json: boolean;
  /** Who decides (recorded with every decision). */
  readonly by: string;
  /** Human phases answered up front (`baton run --submit`). */
  readonly submissions?: Submissions;
  readonly concurrency: number;
  /** Lease of a claimed phase in ms (the driver's default, 30 s, when undefined). */
  readonly leaseMs?: number;
  /** The phase handlers (made before anything is recorded, so a bad config changes nothing). */
  readonly handlers?: HandlerRegistry;
}

/** Session options from a driving command's flags. */
export function sessionOptions(
  home: DrivingHome,
  runId: string,
  flags: DriveFlags & { submissions?: Submissions },
  handlers?: HandlerRegistry,
): SessionOptions {
  return {
    home,
    runId,
    ...(flags.submissions === undefined ? {} : { submissions: flags.submissions }),
    ...(handlers === undefined ? {} : { handlers }),
    auto: flags.auto === true,
    json: flags.json === true,
    by: flags.by,
    concurrency: flags.concurrency,
    ...(flags.lease === undefined ? {} : { leaseMs: flags.lease }),
  };
}

/**
 * Drives a run until it ends or waits: live progress while work runs, the gate prompt on a
 * terminal, `--auto` approvals, and the exit code. Ctrl-C interrupts running attempts (recorded
 * as interrupted) and exits 130; `baton resume RUN` continues.
 *
 * On an embedded home the run's decisions and controls may also come through the home's socket
 * (another `baton` command): the store's wake-ups reach the driver, a cancel or pause stops the
 * attempts it names at once (`observe`), and the gate prompt stops asking once the run moved on.
 */
export async function driveSession(options: SessionOptions): Promise<ExitCode> {
  const { home, runId } = options;
  const live = process.stderr.isTTY && process.env.CI !== 'true';
  const view = new ProgressView(process.stderr, { live, color: live && process.env.NO_COLOR === undefined });
  const handlers = options.handlers ?? (await createCliHandlers());
  const faults = faultInjector();
  const lease = options.leaseMs;

  let driver: RunDriver | undefined;
  let interrupted = false;
  const onSigint = () => {
    if (interrupted) process.exit(ExitCode.interrupted);
    interrupted = true;
    process.stderr.write(
      `\ninterrupting — running phases stop and run again on \`baton resume ${runId}\` (Ctrl-C again to quit now)\n`,
    );
    driver?.interrupt();
  };
  process.on('SIGINT', onSigint);
  await home.socket?.drive(runId);
  const unobserve = home.socket?.observe((id, transition) => {
    if (id === runId) driver?.observe(id, transition);
  });
  try {
    return await settle({
      reader: home.store,
      view,
      auto: options.auto,
      json: options.json,
      by: options.by,
      ...(options.submissions === undefined ? {} : { submissions: options.submissions }),
      advance: async () => {
        driver = new RunDriver({
          store: home.store,
          handlers,
          clock: systemClock,
          concurrency: options.concurrency,
          processes: cliAttemptProcesses(),
          ...(lease === undefined ? {} : { leaseMs: lease }),
          onTransition: (transition) => {
            faults.hit('after-commit');
            view.update(transition.state);
          },
          onProgress: (task, update) => view.progress(task, update),
        });
        const initial = await home.store.getRun(runId);
        if (initial !== undefined) view.update(initial);
        const outcome = await driver.drive(runId, { recoverOrphans: home.embedded });
        view.update(outcome.state);
        return { state: outcome.state, interrupted: outcome.stopped === 'interrupted' || interrupted };
      },
      record: async (input) => {
        const result = await home.store.apply(runId, input, systemClock.now());
        if (!result.ok) process.stderr.write(`${result.error.message}\n`);
      },
      // Another command may answer meanwhile: through the home's socket, or on a shared PostgreSQL.
      watchWaits: (state) =>
        watchWaits(home.store, state, (wake) =>
          home.socket === undefined
            ? () => undefined
            : home.socket.observe((id) => {
                if (id === runId) wake();
              }),
        ),
    });
  } finally {
    unobserve?.();
    process.off('SIGINT', onSigint);
  }
}
