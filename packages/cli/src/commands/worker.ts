import { BatonError, ErrorCode, parseDuration, type RunEvent } from '@baton/engine';
import { homeBusyError, RunDriver, systemClock } from '@baton/runtime';
import { cliAttemptProcesses } from '../attempt-records.js';
import { createCliHandlers } from '../handlers.js';
import { ExitCode } from '../exit-code.js';
import { homeDir } from '../home.js';
import type { BlobFlags } from '../blob-options.js';
import { openDrivingHome } from '../driving-home.js';
import { serverToolEnvironment } from '../server-tool-environment.js';
import { readHomeServerFile } from '@baton/server/home';

export interface WorkerFlags extends BlobFlags {
  readonly concurrency: number;
  readonly grace: string;
  readonly databaseUrl?: string;
  /** Lease of a claimed phase in ms (`--lease`, else `$BATON_LEASE_MS`); 30 s without. */
  readonly lease?: number;
  /** `--tool-env`: more variables its tool phases get (else `$BATON_TOOL_ENV`). */
  readonly toolEnv?: string[];
}

/**
 * `baton worker`: executes the tasks of every run until SIGTERM/SIGINT. The first signal stops
 * claiming and lets running phases finish for the grace period (then releases them, so another
 * worker runs them at once); a second signal releases them now. Any number of workers may share
 * one PostgreSQL; on an embedded home the worker owns it like any other command. Its tool phases
 * get the few variables of `serverToolEnvironment`, as a server's do: the runs it executes may
 * come from anyone the servers on its database accept.
 */
export async function runWorker(flags: WorkerFlags): Promise<ExitCode> {
  // First, as a flag's parser would: a bad --tool-env fails before anything else is read.
  const toolEnv = serverToolEnvironment(flags.toolEnv);
  const grace = parseDuration(flags.grace);
  if (!grace.ok) throw new BatonError(ErrorCode.badRequest, `--grace ${flags.grace}: ${grace.message}`);
  if (flags.databaseUrl === undefined && !process.env.BATON_DATABASE_URL?.trim()) {
    const server = await readHomeServerFile(homeDir());
    if (server?.onlyRun !== undefined)
      throw homeBusyError(
        {
          home: homeDir(),
          command: server.command ?? 'baton',
          pid: server.pid,
          ...(server.onlyRun === null ? {} : { runId: server.onlyRun }),
        },
        'cannot serve every run',
      );
    if (server !== undefined)
      throw new BatonError(
        ErrorCode.badRequest,
        `\`${server.command ?? 'baton serve'}\` (pid ${server.pid}) holding ${homeDir()} executes its runs already; workers join a server on PostgreSQL (--database-url)`,
      );
  }
  const handlers = await createCliHandlers(process.env, process.cwd(), toolEnv);
  // Other commands on an embedded home act through this worker's socket: it executes every run.
  const home = await openDrivingHome(flags, { command: 'baton worker', executes: 'all' });
  const lease = flags.lease;
  const driver = new RunDriver({
    store: home.store,
    handlers,
    clock: systemClock,
    concurrency: flags.concurrency,
    processes: cliAttemptProcesses(),
    ...(lease === undefined ? {} : { leaseMs: lease }),
    onTransition: (transition) => {
      for (const event of transition.events) logEvent(transition.state.runId, event);
    },
  });
  const unobserve = home.socket?.observe((runId, transition) => driver.observe(runId, transition));
  let signals = 0;
  const stop = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals === 1) {
      log(`${signal}: finishing running phases (up to ${flags.grace}); again to release them now`);
      void driver.shutdown(grace.ms);
    } else {
      log(`${signal}: releasing running phases`);
      driver.interrupt();
    }
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  log(`worker ${process.pid} serving ${home.dir} (concurrency ${flags.concurrency})`);
  try {
    await driver.serve();
  } finally {
    process.off('SIGTERM', stop);
    process.off('SIGINT', stop);
    unobserve?.();
    await home.close();
  }
  log('worker stopped');
  return ExitCode.completed;
}

function log(message: string): void {
  process.stderr.write(`${new Date().toISOString()} ${message}\n`);
}

function logEvent(runId: string, event: RunEvent): void {
  switch (event.type) {
    case 'phase_started':
    case 'phase_completed':
      log(`${runId} ${event.phaseId}#${event.attempt} ${event.type.slice(6)}`);
      return;
    case 'phase_failed':
      log(
        `${runId} ${event.phaseId}#${event.attempt} failed (${event.error.code}): ${event.error.message.split('\n')[0] ?? ''}`,
      );
      return;
    case 'run_completed':
    case 'run_failed':
    case 'run_cancelled':
      log(`${runId} ${event.type.slice(4)}`);
      return;
    default:
      return;
  }
}
