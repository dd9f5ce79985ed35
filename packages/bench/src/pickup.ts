/**
 * Pickup latency: how long an idle worker in another process takes to start a phase that was just
 * enqueued. The worker is `baton worker --database-url URL`; this process creates one-phase runs
 * (whose creation commits the queued task) and reads when the worker recorded `phase_started`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { RunStore } from '@baton/engine';
import { systemClock } from '@baton/runtime';
import { createSqlRunStore, openPostgresDb } from '@baton/store';
import { createInput, type Workload } from './workloads.js';

const CLI = fileURLToPath(new URL('../../cli/bin/baton.js', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** One pickup; the commit happened between the call and its acknowledgement. */
interface PickupSample {
  /** From `createRun` being called to `phase_started.at` (an upper bound of the latency). */
  readonly fromCallMs: number;
  /** From `createRun`'s commit being acknowledged here to `phase_started.at` (a lower bound). */
  readonly fromAckMs: number;
}

export interface PickupMeasurement {
  readonly samples: readonly PickupSample[];
  /** How long the worker process took to start serving. */
  readonly workerStartMs: number;
}

/**
 * Starts a worker on `databaseUrl`, waits until it serves, then `samples` times: lets it idle for
 * `idleMs`, creates a one-phase run, and waits for the run to complete.
 */
export async function measurePickup(
  databaseUrl: string,
  workload: Workload,
  samples: number,
  idleMs = 300,
): Promise<PickupMeasurement> {
  const started = performance.now();
  const worker = spawn(process.execPath, [CLI, 'worker', '--database-url', databaseUrl], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const store = createSqlRunStore(openPostgresDb({ connectionString: databaseUrl, maxConnections: 2 }));
  try {
    await waitForServing(worker);
    const workerStartMs = performance.now() - started;
    const latencies: PickupSample[] = [];
    for (let i = 0; i < samples; i += 1) {
      await sleep(idleMs);
      latencies.push(await sampleOnce(store, workload));
    }
    return { samples: latencies, workerStartMs };
  } finally {
    await store.close();
    await stop(worker);
  }
}

async function sampleOnce(store: RunStore, workload: Workload): Promise<PickupSample> {
  const runId = `pickup-${randomBytes(4).toString('hex')}`;
  const calledAt = Date.now();
  const created = await store.createRun(createInput(workload, runId), systemClock.now());
  const committedAt = Date.now();
  if (!created.ok) throw new Error(`creating ${runId} was refused: ${created.error.message}`);
  const deadline = committedAt + 60_000;
  for (;;) {
    const events = await store.listEvents(runId);
    const ended = events.some((e) => e.type === 'run_completed' || e.type === 'run_failed');
    const started = events.find((e) => e.type === 'phase_started');
    if (ended) {
      if (started === undefined) throw new Error(`pickup run ${runId} ended without phase_started`);
      return { fromCallMs: started.at - calledAt, fromAckMs: started.at - committedAt };
    }
    if (Date.now() > deadline) {
      throw new Error(`the worker did not run ${runId} within 60 s — is \`baton worker\` working?`);
    }
    await sleep(20);
  }
}

function waitForServing(worker: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(
      () => fail(new Error(`the worker did not start within 30 s:\n${output}`)),
      30_000,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (/serving/.test(output)) done();
    };
    const onExit = (code: number | null) =>
      fail(new Error(`the worker exited (${code}) before serving:\n${output}`));
    const cleanup = () => {
      clearTimeout(timer);
      worker.stderr?.off('data', onData);
      worker.off('exit', onExit);
      // Keep draining its log so the pipe never fills.
      worker.stderr?.resume();
    };
    const done = () => {
      cleanup();
      resolve();
    };
    const fail = (error: Error) => {
      cleanup();
      reject(error);
    };
    worker.stderr?.on('data', onData);
    worker.once('exit', onExit);
  });
}

async function stop(worker: ChildProcess): Promise<void> {
  if (worker.exitCode !== null || worker.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  worker.kill('SIGTERM');
  const timer = setTimeout(() => worker.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
