/**
 * `npm run bench:server`: `baton serve` under read load, its start and its memory. A benchmark, not
 * a test: it prints figures (each against its target) and fails only when something does not
 * complete — a server that does not start, a run that does not complete, an answer that is not 2xx.
 * See docs/benchmarks.md.
 *
 * Per backend (the embedded database always, PostgreSQL with a URL): spawn `baton serve`, make the
 * owner and an API token through the API, upload a 100-phase chain, start runs of it and let the
 * server's workers complete them, then load `GET /api/runs/:id` (a completed run's snapshot) and
 * `GET /api/runs?limit=50` with autocannon from this process. On the embedded database, first: the
 * first start of a new home, then restarts of it, each timed from spawn to `/ready`, and the RSS of
 * the served process once it is ready and idle.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { runBenchCommand } from '../bench-command.js';
import { openPostgresBackend } from '../backends.js';
import { median, round } from '../figures.js';
import { get, ownerToken, startRuns, uploadChain, waitCompleted } from './api-data.js';
import { loadAverage, residentMb } from './cpu-sample.js';
import { measureLoad } from './load.js';
import {
  FULL_PLAN,
  parseServerBenchOptions,
  QUICK_PLAN,
  USAGE,
  type ServerBenchOptions,
  type ServerBenchPlan,
} from './options.js';
import { render, TARGETS, type ServerFigure } from './render.js';
import { startServe, type ServeProcess } from './serve-process.js';
import { anyStreamWorkload, benchStreams, type StreamBenchOptions } from './stream-bench.js';

/** Phases of the run whose snapshot is read. */
const PHASES = 100;
/** Runs in the database (all of the 100-phase chain): the list reads a full page of 50. */
const RUNS = 60;
const LIST_LIMIT = 50;

type Backend = 'pglite' | 'postgres';

async function main(options: ServerBenchOptions): Promise<number> {
  const plan = options.quick ? QUICK_PLAN : FULL_PLAN;
  const figures: ServerFigure[] = [];
  const emit = (figure: ServerFigure) => {
    figures.push(figure);
    if (options.json) process.stdout.write(`${JSON.stringify(figure)}\n`);
  };
  emit(environment(options, plan));
  if (options.databaseUrl === undefined) {
    progress(
      'no PostgreSQL given: the embedded database only. Add one with `-- --database-url postgres://…`',
    );
  }

  const dir = await mkdtemp(path.join(tmpdir(), 'baton-bench-server-'));
  let keep = false;
  try {
    if (options.only.has('reads')) {
      const home = path.join(dir, 'home');
      await mkdir(home);
      const server = await startsOfHome(home, dir, options, plan, emit);
      try {
        await benchReads(server, 'pglite', options, plan, emit);
      } finally {
        await server.stop();
      }
    }
    if (anyStreamWorkload(options.only)) await benchStreams(streamOptions('pglite', dir, options, emit));

    if (options.databaseUrl !== undefined) await benchPostgres(options.databaseUrl, dir, options, plan, emit);
  } catch (error) {
    keep = true;
    progress(`the servers' logs are kept in ${dir}`);
    throw error;
  } finally {
    if (!keep) await rm(dir, { recursive: true, force: true });
  }
  if (!options.json) process.stdout.write(`${render(figures)}\n`);
  return 0;
}

/**
 * The first start of a new home, then `plan.restarts` starts of it, each timed from spawn to
 * `/ready`; the RSS after each of the first and the last once idle. Returns the last, running.
 */
async function startsOfHome(
  home: string,
  dir: string,
  options: ServerBenchOptions,
  plan: ServerBenchPlan,
  emit: (figure: ServerFigure) => void,
): Promise<ServeProcess> {
  progress('pglite: first start of a new home');
  const first = await serve('pglite', home, dir, options);
  try {
    emit({
      workload: 'ready',
      backend: 'pglite',
      start: 'first',
      ms: Math.round(first.readyMs),
      target: null,
    });
    await idle(plan);
    emit({
      workload: 'rss',
      backend: 'pglite',
      after: 'first start, idle',
      mb: await residentMb(first.pid),
      target: null,
    });
  } finally {
    await first.stop();
  }
  const samples: number[] = [];
  for (let i = 1; ; i += 1) {
    progress(`pglite: start ${i} of ${plan.restarts} of the home`);
    const server = await serve('pglite', home, dir, options);
    samples.push(server.readyMs);
    if (i === plan.restarts) {
      const ms = Math.round(median(samples));
      emit({
        workload: 'ready',
        backend: 'pglite',
        start: 'restart',
        repetitions: samples.length,
        ms: { median: ms, min: Math.round(Math.min(...samples)), max: Math.round(Math.max(...samples)) },
        target: { what: TARGETS.readyMs.what, met: ms <= TARGETS.readyMs.limit },
      });
      await idle(plan);
      const mb = await residentMb(server.pid);
      emit({
        workload: 'rss',
        backend: 'pglite',
        after: 'restart, idle',
        mb,
        target: mb === null ? null : { what: TARGETS.idleRssMb.what, met: mb <= TARGETS.idleRssMb.limit },
      });
      return server;
    }
    await server.stop();
  }
}

/** A fresh database on the server of `adminUrl`, served from; dropped at the end. */
async function benchPostgres(
  adminUrl: string,
  dir: string,
  options: ServerBenchOptions,
  plan: ServerBenchPlan,
  emit: (figure: ServerFigure) => void,
): Promise<void> {
  if (anyStreamWorkload(options.only)) {
    progress('postgres: creating a fresh database for the streams');
    const streams = await openPostgresBackend(adminUrl);
    try {
      await benchStreams(streamOptions('postgres', dir, options, emit, streams.databaseUrl));
    } finally {
      await streams.dispose();
    }
  }
  if (!options.only.has('reads')) return;
  progress('postgres: creating a fresh database');
  const backend = await openPostgresBackend(adminUrl);
  try {
    const home = path.join(dir, 'pg-home');
    await mkdir(home);
    const server = await serve('postgres', home, dir, options, backend.databaseUrl);
    try {
      emit({
        workload: 'ready',
        backend: 'postgres',
        start: 'first',
        ms: Math.round(server.readyMs),
        target: null,
      });
      await idle(plan);
      const mb = await residentMb(server.pid);
      emit({ workload: 'rss', backend: 'postgres', after: 'ready, idle', mb, target: null });
      await benchReads(server, 'postgres', options, plan, emit);
    } finally {
      await server.stop();
    }
  } finally {
    await backend.dispose();
  }
}

/** Builds the data through the API, then loads the snapshot and the list. */
async function benchReads(
  server: ServeProcess,
  backend: Backend,
  options: ServerBenchOptions,
  plan: ServerBenchPlan,
  emit: (figure: ServerFigure) => void,
): Promise<void> {
  const token = await ownerToken(server.url, server.setupToken);
  const workflow = await uploadChain(server.url, token, PHASES);
  progress(`${backend}: ${RUNS} runs of a ${PHASES}-phase chain, completed by the server's workers`);
  const started = performance.now();
  const ids = await startRuns(server.url, token, workflow, RUNS);
  await waitCompleted(server.url, token, ids);
  const buildMs = Math.round(performance.now() - started);
  const runId = ids[0]!;
  const snapshot = (await get(server.url, `/api/runs/${runId}`, token)) as { phases: { status: string }[] };
  const done = snapshot.phases.filter((p) => p.status === 'completed').length;
  if (done !== PHASES)
    throw new Error(`the snapshot of ${runId} shows ${done} completed phases, not ${PHASES}`);
  const list = (await get(server.url, `/api/runs?limit=${LIST_LIMIT}`, token)) as { runs: unknown[] };
  if (list.runs.length !== LIST_LIMIT)
    throw new Error(`the run list holds ${list.runs.length} runs, not ${LIST_LIMIT}`);

  const routes = [
    { workload: 'snapshot', route: 'GET /api/runs/:id', path: `/api/runs/${runId}` },
    {
      workload: 'run-list',
      route: `GET /api/runs?limit=${LIST_LIMIT}`,
      path: `/api/runs?limit=${LIST_LIMIT}`,
    },
  ];
  for (const { workload, route, path: urlPath } of routes) {
    progress(
      `${backend}: ${route}, ${options.connections} connections, ${plan.warmupS} s warm-up + ${plan.durationS} s`,
    );
    const load = await measureLoad({
      url: server.url,
      path: urlPath,
      token,
      serverPid: server.pid,
      connections: options.connections,
      durationS: plan.durationS,
      warmupS: plan.warmupS,
    });
    const { limit, p99Ms, what } = TARGETS.reads;
    emit({
      workload,
      backend,
      route,
      runs: RUNS,
      phases: PHASES,
      buildMs,
      connections: options.connections,
      durationS: plan.durationS,
      ...load,
      target:
        backend === 'postgres'
          ? { what, met: load.requestsPerSecond >= limit && load.latencyMs.p99 <= p99Ms }
          : null,
    });
  }
  await idle(plan);
  emit({
    workload: 'rss',
    backend,
    after: 'the loads, idle',
    mb: await residentMb(server.pid),
    target: null,
  });
}

function serve(
  backend: Backend,
  home: string,
  dir: string,
  options: ServerBenchOptions,
  databaseUrl?: string,
): Promise<ServeProcess> {
  const { cpuProfDir } = options;
  return startServe({
    ...(cpuProfDir === undefined ? {} : { nodeArgs: ['--cpu-prof', '--cpu-prof-dir', cpuProfDir] }),
    home,
    logFile: path.join(dir, `${backend}-serve.log`),
    // A new one each start: it only matters until the owner exists.
    setupToken: randomBytes(24).toString('base64url'),
    ...(databaseUrl === undefined ? {} : { databaseUrl }),
  });
}

function streamOptions(
  backend: Backend,
  dir: string,
  options: ServerBenchOptions,
  emit: (figure: ServerFigure) => void,
  databaseUrl?: string,
): StreamBenchOptions {
  const { cpuProfDir } = options;
  return {
    backend,
    dir,
    only: options.only,
    quick: options.quick,
    emit,
    progress,
    ...(databaseUrl === undefined ? {} : { databaseUrl }),
    ...(cpuProfDir === undefined ? {} : { nodeArgs: ['--cpu-prof', '--cpu-prof-dir', cpuProfDir] }),
  };
}

function idle(plan: ServerBenchPlan): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, plan.idleS * 1000));
}

function environment(options: ServerBenchOptions, plan: ServerBenchPlan): ServerFigure {
  const load = loadAverage();
  return {
    workload: 'environment',
    backend: null,
    node: process.version,
    cpus: load.cpus,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: round(totalmem() / 2 ** 30, 1),
    loadAverage: load.average,
    quick: options.quick,
    postgres: options.databaseUrl !== undefined,
    connections: options.connections,
    only: [...options.only],
    plan,
  };
}

function progress(message: string): void {
  process.stderr.write(`bench:server: ${message}\n`);
}

process.exitCode = await runBenchCommand(
  { name: 'bench:server', usage: USAGE, parse: parseServerBenchOptions, main },
  process.argv.slice(2),
);
