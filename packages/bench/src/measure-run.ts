/**
 * One timed run: create it, drive it in this process until it is idle, and account for the
 * commits it made (client-side per store method, and the database's own count).
 */
import { randomBytes } from 'node:crypto';
import { createHandlerRegistry, createScriptedHandler, RunDriver, systemClock } from '@baton/runtime';
import { WARMUP, type Backend } from './backends.js';
import type { CommitTally, MethodTally } from './commit-tally.js';
import { createInput, type Workload } from './workloads.js';

/** Attempts the driver runs at once (the `RunDriver` default). */
export const DRIVER_CONCURRENCY = 4;

export interface RunMeasurement {
  /** Wall time from `createRun` until `drive` returned (the run completed). */
  readonly runMs: number;
  /** Commits the client made, the bench's warm-up excluded. */
  readonly clientCommits: number;
  /** Commits `pg_stat_database` counted, or undefined. */
  readonly serverCommits: number | undefined;
  /** Per store method: calls, commits, relaxed commits, milliseconds. */
  readonly byMethod: Readonly<Record<string, MethodTally>>;
}

/** Runs `workload` once on `backend`; throws when the run does not complete. */
export async function measureRun(
  backend: Backend,
  workload: Workload,
  tally: CommitTally,
): Promise<RunMeasurement> {
  tally.reset();
  const session = await backend.session(tally, DRIVER_CONCURRENCY);
  let finished = false;
  try {
    const driver = new RunDriver({
      store: session.store,
      handlers: createHandlerRegistry([createScriptedHandler()]),
      clock: systemClock,
      concurrency: DRIVER_CONCURRENCY,
    });
    const runId = `${workload.name}-${randomBytes(4).toString('hex')}`;
    const started = performance.now();
    const created = await session.store.createRun(createInput(workload, runId), systemClock.now());
    if (!created.ok) throw new Error(`creating ${runId} was refused: ${created.error.message}`);
    const outcome = await driver.drive(runId);
    const runMs = performance.now() - started;
    if (outcome.state.status !== 'completed') {
      throw new Error(`bench run ${runId} ended ${outcome.state.status}, not completed`);
    }
    finished = true;
    const serverCommits = await session.finish();
    const byMethod = Object.fromEntries(tally.entries().filter(([method]) => method !== WARMUP));
    return { runMs, clientCommits: tally.commits([WARMUP]), serverCommits, byMethod };
  } finally {
    if (!finished) await session.finish().catch(() => undefined);
  }
}
