/**
 * `npm run bench:compare`: Baton side by side with LangGraph.js on the same workloads and
 * backends, each measurement in a process of its own, repetitions interleaved (Baton, LangGraph,
 * LangGraph, Baton, …) so that drift of the machine cancels out. See docs/benchmarks.md.
 *
 *   npm run bench:compare -- [--json] [--reps N] [--database-url URL | --no-postgres] [--workload NAME]…
 *
 * Without `--database-url` (or BATON_BENCH_DATABASE_URL) it starts a PostgreSQL server of its own
 * for the run (`local-postgres.ts`) and removes it at the end.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { availableParallelism, cpus, tmpdir, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { median, quantile, round, table } from '../../packages/bench/src/figures.js';
import type { Backend } from './langgraph-runner.js';
import { startLocalPostgres } from './local-postgres.js';
import type { MeasureResult, MeasureSpec } from './measure-one.js';
import { WORKLOADS, type WorkloadName } from './workloads.js';

const run = promisify(execFile);
const MEASURE = fileURLToPath(new URL('./measure-one.ts', import.meta.url));
const GATE = fileURLToPath(new URL('./gate-restart.ts', import.meta.url));
const TSX = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));
type System = 'baton' | 'langgraph';

interface Options {
  readonly json: boolean;
  readonly reps: number;
  readonly databaseUrl: string | undefined;
  /** Leave PostgreSQL out (memory and embedded only). */
  readonly noPostgres: boolean;
  readonly workloads: readonly WorkloadName[];
  /** Run workload 5 (pause at a gate, restart, resume). */
  readonly gate: boolean;
}

function parse(argv: readonly string[]): Options {
  let json = false;
  let reps = 5;
  let databaseUrl = process.env.BATON_BENCH_DATABASE_URL;
  let noPostgres = false;
  const workloads: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--json') json = true;
    else if (arg === '--reps') reps = Number(argv[++i]);
    else if (arg === '--database-url') databaseUrl = argv[++i];
    else if (arg === '--no-postgres') noPostgres = true;
    else if (arg === '--workload') workloads.push(argv[++i] ?? '');
    else
      throw new Error(
        `unknown argument ${arg}: use --json, --reps N, --database-url URL, --no-postgres, --workload NAME`,
      );
  }
  if (!Number.isInteger(reps) || reps < 1) throw new Error('--reps must be a whole number of at least 1');
  const known: string[] = [...WORKLOADS, 'gate-restart'];
  for (const w of workloads)
    if (!known.includes(w)) throw new Error(`unknown workload ${w}: ${known.join(', ')}`);
  const chosen = workloads.length === 0 ? known : workloads;
  return {
    json,
    reps,
    databaseUrl: noPostgres ? undefined : databaseUrl,
    noPostgres,
    workloads: WORKLOADS.filter((w) => chosen.includes(w)),
    gate: chosen.includes('gate-restart'),
  };
}

async function measure(spec: MeasureSpec): Promise<MeasureResult> {
  const { stdout } = await run(TSX, [MEASURE, JSON.stringify(spec)], { maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as MeasureResult;
}

/**
 * Workload 5 for one system and backend: a run paused at a gate by one process, resumed by a new
 * one. Returns the resuming process's time from its start to the run's end.
 */
async function gateRestart(system: System, backend: 'embedded' | 'postgres', adminUrl: string | undefined) {
  const dir = await mkdtemp(join(tmpdir(), `gate-${system}-`));
  const name = `gate_bench_${randomBytes(4).toString('hex')}`;
  let databaseUrl: string | undefined;
  const admin = backend === 'postgres' ? new pg.Client({ connectionString: adminUrl }) : undefined;
  try {
    if (admin !== undefined) {
      await admin.connect();
      await admin.query(`CREATE DATABASE ${name}`);
      const url = new URL(adminUrl!);
      url.pathname = `/${name}`;
      databaseUrl = url.toString();
    }
    const spec = {
      system,
      backend,
      dir,
      runId: 'gate-1',
      ...(databaseUrl === undefined ? {} : { databaseUrl }),
    };
    await run(TSX, [GATE, JSON.stringify({ ...spec, phase: 'pause' })]);
    const { stdout } = await run(TSX, [GATE, JSON.stringify({ ...spec, phase: 'resume' })]);
    return JSON.parse(stdout.trim().split('\n').at(-1)!) as { resumeMs: number; peakRssMb: number };
  } finally {
    if (admin !== undefined) {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
      await admin.end();
    }
    await rm(dir, { recursive: true, force: true });
  }
}

/** The physical floor on PostgreSQL: one single-row INSERT … COMMIT round trip, median of many. */
async function insertFloorMs(url: string, samples = 300): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('CREATE TEMP TABLE bench_floor (id serial PRIMARY KEY, v integer)');
    // A temporary table is not WAL-logged: use a real one for a real commit.
    await client.query('CREATE TABLE IF NOT EXISTS bench_floor_real (id serial PRIMARY KEY, v integer)');
    const times: number[] = [];
    for (let i = 0; i < samples; i += 1) {
      const started = performance.now();
      await client.query('INSERT INTO bench_floor_real (v) VALUES ($1)', [i]);
      times.push(performance.now() - started);
    }
    await client.query('DROP TABLE bench_floor_real');
    return median(times);
  } finally {
    await client.end();
  }
}

interface Row {
  readonly system: System;
  readonly workload: WorkloadName | 'gate-restart';
  readonly backend: Backend;
  readonly steps: number;
  /** Null for gate-restart, whose figure is the time to resume (`totalMs`). */
  readonly perStepMs: number | null;
  readonly p99Ms: number | null;
  readonly totalMs: number;
  readonly peakRssMb: number;
  readonly commitsPerStep: number | null;
  ratio: number | null;
}

async function main(): Promise<void> {
  const options = parse(process.argv.slice(2));
  if (options.databaseUrl !== undefined || options.noPostgres) return compare(options);
  const local = await startLocalPostgres();
  if (typeof local === 'string') {
    process.stderr.write(`${local}\n`);
    return compare(options);
  }
  process.stderr.write(`started ${local.version} for this run (${local.url}); removed at the end\n`);
  const stop = () => void local.stop().finally(() => process.exit(130));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    await compare({ ...options, databaseUrl: local.url });
  } finally {
    await local.stop();
  }
}

async function compare(options: Options): Promise<void> {
  const backends: Backend[] = [
    'memory',
    'embedded',
    ...(options.databaseUrl === undefined ? [] : ['postgres' as const]),
  ];
  const log = (line: string) => process.stderr.write(`${line}\n`);
  if (options.databaseUrl === undefined) log('no PostgreSQL: memory and embedded only');
  const floorMs = options.databaseUrl === undefined ? undefined : await insertFloorMs(options.databaseUrl);
  const rows: Row[] = [];
  for (const workload of options.workloads) {
    for (const backend of backends) {
      const results: Record<System, MeasureResult[]> = { baton: [], langgraph: [] };
      for (let rep = 0; rep < options.reps; rep += 1) {
        // A B, B A, A B …: neither always goes first.
        const order: System[] = rep % 2 === 0 ? ['baton', 'langgraph'] : ['langgraph', 'baton'];
        for (const system of order) {
          log(`${workload} · ${backend} · ${system} · ${rep + 1}/${options.reps}`);
          results[system].push(
            await measure({
              system,
              backend,
              workload,
              ...(options.databaseUrl === undefined ? {} : { databaseUrl: options.databaseUrl }),
            }),
          );
        }
      }
      const summarize = (system: System): Row => {
        const all = results[system];
        const steps = all[0]!.steps;
        const gaps = all.flatMap((r) =>
          r.completions.map((at, i) => at - (i === 0 ? 0 : r.completions[i - 1]!)),
        );
        const commits = all.map((r) => r.commits).filter((c): c is number => c !== undefined);
        return {
          system,
          workload,
          backend,
          steps,
          perStepMs: round(median(all.map((r) => r.runMs / steps)), 3),
          p99Ms: round(quantile(gaps, 0.99), 3),
          totalMs: round(median(all.map((r) => r.runMs)), 1),
          peakRssMb: round(median(all.map((r) => r.peakRssMb)), 0),
          commitsPerStep: commits.length === 0 ? null : round(median(commits.map((c) => c / steps)), 2),
          ratio: null,
        };
      };
      const baton = summarize('baton');
      const peer = summarize('langgraph');
      baton.ratio = round(baton.perStepMs! / peer.perStepMs!, 2);
      rows.push(baton, peer);
      if (options.json) for (const row of [baton, peer]) process.stdout.write(`${JSON.stringify(row)}\n`);
    }
  }
  if (options.gate) {
    // Workload 5: no in-memory variant (a restart loses memory), for either system.
    for (const backend of backends.filter((b): b is 'embedded' | 'postgres' => b !== 'memory')) {
      const times: Record<System, { resumeMs: number; peakRssMb: number }[]> = { baton: [], langgraph: [] };
      for (let rep = 0; rep < options.reps; rep += 1) {
        const order: System[] = rep % 2 === 0 ? ['baton', 'langgraph'] : ['langgraph', 'baton'];
        for (const system of order) {
          log(`gate-restart · ${backend} · ${system} · ${rep + 1}/${options.reps}`);
          times[system].push(await gateRestart(system, backend, options.databaseUrl));
        }
      }
      const row = (system: System): Row => ({
        system,
        workload: 'gate-restart',
        backend,
        steps: 3,
        perStepMs: null,
        p99Ms: null,
        totalMs: round(median(times[system].map((t) => t.resumeMs)), 1),
        peakRssMb: round(median(times[system].map((t) => t.peakRssMb)), 0),
        commitsPerStep: null,
        ratio: null,
      });
      const baton = row('baton');
      const peer = row('langgraph');
      baton.ratio = round(baton.totalMs / peer.totalMs, 2);
      rows.push(baton, peer);
      if (options.json)
        for (const r of [baton, peer])
          process.stdout.write(`${JSON.stringify({ ...r, resumeMs: r.totalMs })}\n`);
    }
  }
  if (options.json) {
    if (floorMs !== undefined)
      process.stdout.write(
        `${JSON.stringify({ system: 'postgres', workload: 'insert-commit', backend: 'postgres', steps: 1, perStepMs: round(floorMs, 3), p99Ms: null, peakRssMb: null, ratio: null })}\n`,
      );
    return;
  }
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  process.stdout.write(
    `machine: ${cpu}, ${availableParallelism()} cores, ${Math.round(totalmem() / 2 ** 30)} GiB; Node ${process.version}\n` +
      `${options.reps} interleaved repetitions each; per step = run wall time / steps (median); p99 = 99th percentile of the gaps between step completions; gate-restart: total = time to resume (a new process until the run ends)\n\n`,
  );
  process.stdout.write(
    `${table(
      [
        'workload',
        'backend',
        'system',
        'steps',
        'per step ms',
        'p99 ms',
        'total ms',
        'peak RSS MB',
        'commits/step',
        'Baton / peer',
      ],
      rows.map((r) => [
        r.workload,
        r.backend,
        r.system,
        r.steps,
        r.perStepMs,
        r.p99Ms,
        r.totalMs,
        r.peakRssMb,
        r.commitsPerStep,
        r.ratio,
      ]),
    )}\n`,
  );
  if (floorMs !== undefined) {
    process.stdout.write(
      `\nPostgreSQL floor: one single-row INSERT … COMMIT round trip = ${round(floorMs, 3)} ms\n`,
    );
    for (const r of rows.filter(
      (row) => row.system === 'baton' && row.backend === 'postgres' && row.perStepMs !== null,
    )) {
      process.stdout.write(
        `  ${r.workload}: Baton per step = ${round(r.perStepMs! / floorMs, 2)}× the floor, ${r.commitsPerStep ?? '—'} commits per step\n`,
      );
    }
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
