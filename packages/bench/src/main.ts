/**
 * `npm run bench`: orchestration overhead of Baton on PGlite and PostgreSQL. A benchmark, not a
 * test: it prints figures and fails only when a run does not complete. See docs/benchmarks.md for
 * what each figure means and how to read them.
 */
import { availableParallelism, cpus, totalmem } from 'node:os';
import { runBenchCommand } from './bench-command.js';
import { openPgliteBackend, openPostgresBackend, type Backend } from './backends.js';
import { CommitTally, type MethodTally } from './commit-tally.js';
import { median, quantile, round, spread, table, type Figure } from './figures.js';
import { timeCreateRun, timeEngineDag, timeEngineEdges } from './measure-dag.js';
import { DRIVER_CONCURRENCY, measureRun, type RunMeasurement } from './measure-run.js';
import { FULL, parseOptions, QUICK, USAGE, type BenchOptions, type Repetitions } from './options.js';
import { measurePickup } from './pickup.js';
import { chain, fanOut, randomDag, toWorkload, type Workload } from './workloads.js';

const DAG_SIZE = 10_000;
const DAG_SEED = 20_240_601;

async function main(options: BenchOptions): Promise<number> {
  const reps = options.quick ? QUICK : FULL;
  const figures: Figure[] = [];
  const emit = (figure: Figure) => {
    figures.push(figure);
    if (options.json) process.stdout.write(`${JSON.stringify(figure)}\n`);
  };
  emit(environment(options, reps));
  if (options.databaseUrl === undefined) {
    progress('no PostgreSQL given: PGlite only. Add one with `npm run bench -- --database-url postgres://…`');
  }

  const dag = randomDag(DAG_SIZE, DAG_SEED);
  const dagWorkload = toWorkload(`dag-${DAG_SIZE}`, dag.raw);
  progress(`engine: ${DAG_SIZE}-phase DAG ×${reps.dag}`);
  const engineRuns = Array.from({ length: reps.dag }, () => timeEngineDag(dagWorkload));
  const edgeRuns = Array.from({ length: reps.dag }, () => timeEngineEdges());
  emit({
    workload: `dag-${DAG_SIZE}`,
    backend: 'engine',
    steps: null,
    perStepMs: null,
    commitsPerStep: null,
    repetitions: reps.dag,
    ...dag.shape,
    seed: DAG_SEED,
    parseYamlMs: round(median(engineRuns.map((r) => r.parseYamlMs)), 1),
    parseJsonMs: round(median(engineRuns.map((r) => r.parseJsonMs)), 1),
    validateMs: round(median(engineRuns.map((r) => r.validateMs)), 1),
    scheduleMs: round(median(engineRuns.map((r) => r.scheduleMs)), 1),
    enqueued: engineRuns[0]?.enqueued ?? null,
    topologicalOrderMs: round(median(edgeRuns.map((r) => r.topologicalOrderMs)), 1),
    tooManyPhasesMs: round(median(edgeRuns.map((r) => r.tooManyPhasesMs)), 1),
    misspeltNeedsMs: round(median(edgeRuns.map((r) => r.misspeltNeedsMs)), 1),
    note:
      'pure engine: parseWorkflow (YAML, JSON), validateWorkflow, step(undefined, create); ' +
      'topologicalOrder of a backwards chain, 10,001 phases refused, a chain of misspelt needs',
  });

  const tally = new CommitTally();
  const openers: [string, () => Promise<Backend>][] = [['pglite', () => openPgliteBackend(tally)]];
  const { databaseUrl } = options;
  if (databaseUrl !== undefined) openers.push(['postgres', () => openPostgresBackend(databaseUrl)]);

  for (const [name, open] of openers) {
    progress(`${name}: opening a fresh database`);
    const backend = await open();
    try {
      await benchBackend(backend, reps, tally, dagWorkload, emit);
    } finally {
      await backend.dispose();
    }
  }
  if (!options.json) process.stdout.write(`${render(figures)}\n`);
  return 0;
}

async function benchBackend(
  backend: Backend,
  reps: Repetitions,
  tally: CommitTally,
  dagWorkload: Workload,
  emit: (figure: Figure) => void,
): Promise<void> {
  // Warm up the JIT and the database's caches; not measured.
  await measureRun(backend, chain(20), tally);

  const workloads: [Workload, number][] = [
    [chain(100), reps.chain100],
    [chain(1000), reps.chain1000],
    [fanOut(100), reps.fanout100],
  ];
  for (const [workload, repetitions] of workloads) {
    progress(`${backend.name}: ${workload.name} ×${repetitions}`);
    const runs: RunMeasurement[] = [];
    for (let i = 0; i < repetitions; i += 1) runs.push(await measureRun(backend, workload, tally));
    emit(runFigure(backend, workload, runs));
  }

  if (backend.databaseUrl === undefined) {
    emit({
      workload: 'pickup',
      backend: backend.name,
      steps: 1,
      perStepMs: null,
      commitsPerStep: null,
      pickupMs: null,
      note: 'does not apply: PGlite is embedded, one process owns the database, so no worker of another process can pick up',
    });
  } else {
    await benchPickup(backend, backend.databaseUrl, reps, emit);
  }

  // After the pickup: the DAG runs' root tasks stay queued and would keep a worker busy.
  progress(`${backend.name}: createRun of the ${DAG_SIZE}-phase DAG ×${reps.dag}`);
  const creates = [];
  for (let i = 0; i < reps.dag; i += 1) creates.push(await timeCreateRun(backend, dagWorkload, tally));
  emit({
    workload: `dag-${DAG_SIZE}`,
    backend: backend.name,
    steps: null,
    perStepMs: null,
    commitsPerStep: null,
    repetitions: reps.dag,
    createRunMs: round(median(creates.map((c) => c.createRunMs)), 1),
    clientCommits: median(creates.map((c) => c.clientCommits)),
    serverCommits: nullable(median(creates.map((c) => c.serverCommits ?? Number.NaN))),
    note: 'createRun: one transaction inserting the run, its events, 10,000 phase rows and the root tasks',
  });
}

async function benchPickup(
  backend: Backend,
  databaseUrl: string,
  reps: Repetitions,
  emit: (figure: Figure) => void,
): Promise<void> {
  progress(`${backend.name}: pickup latency of an idle worker process, ${reps.pickupSamples} samples`);
  const pickup = await measurePickup(databaseUrl, chain(1), reps.pickupSamples);
  const fromAck = pickup.samples.map((s) => s.fromAckMs);
  const fromCall = pickup.samples.map((s) => s.fromCallMs);
  emit({
    workload: 'pickup',
    backend: backend.name,
    steps: 1,
    perStepMs: null,
    commitsPerStep: null,
    repetitions: pickup.samples.length,
    pickupMs: {
      median: round(median(fromAck), 1),
      p90: round(quantile(fromAck, 0.9), 1),
      min: round(Math.min(...fromAck), 1),
      max: round(Math.max(...fromAck), 1),
    },
    pickupFromCallMs: {
      median: round(median(fromCall), 1),
      p90: round(quantile(fromCall, 0.9), 1),
      min: round(Math.min(...fromCall), 1),
      max: round(Math.max(...fromCall), 1),
    },
    workerStartMs: Math.round(pickup.workerStartMs),
    note:
      'pickupMs: createRun acknowledged in the bench process → phase_started.at recorded by the worker ' +
      '(a lower bound, ms clocks); pickupFromCallMs: from the createRun call (an upper bound)',
  });
}

function runFigure(backend: Backend, workload: Workload, runs: readonly RunMeasurement[]): Figure {
  const { steps } = workload;
  const server = runs.map((r) => (r.serverCommits === undefined ? Number.NaN : r.serverCommits / steps));
  const byMethod: Record<string, MethodTally> = {};
  for (const run of runs) {
    for (const [method, t] of Object.entries(run.byMethod)) {
      const sum = (byMethod[method] ??= {
        calls: 0,
        commits: 0,
        writeCommits: 0,
        relaxedCommits: 0,
        statements: 0,
        ms: 0,
        tasks: 0,
      });
      sum.writeCommits += t.writeCommits;
      sum.statements += t.statements;
      sum.tasks += t.tasks;
      sum.calls += t.calls;
      sum.commits += t.commits;
      sum.relaxedCommits += t.relaxedCommits;
      sum.ms += t.ms;
    }
  }
  const perStep = (value: number) => round(value / (steps * runs.length));
  const perStepByMethod = Object.fromEntries(
    Object.entries(byMethod).map(([method, t]) => [
      method,
      {
        calls: perStep(t.calls),
        commits: perStep(t.commits),
        writeCommits: perStep(t.writeCommits),
        relaxedCommits: perStep(t.relaxedCommits),
        statements: perStep(t.statements),
        ms: perStep(t.ms),
        tasks: perStep(t.tasks),
      },
    ]),
  );
  const runMs = spread(runs.map((r) => r.runMs));
  const sumOf = (field: (t: MethodTally) => number) =>
    Object.values(byMethod).reduce((n, t) => n + field(t), 0);
  return {
    workload: workload.name,
    backend: backend.name,
    steps,
    perStepMs: round(median(runs.map((r) => r.runMs / steps))),
    commitsPerStep: nullable(round(median(server))),
    repetitions: runs.length,
    clientCommitsPerStep: round(median(runs.map((r) => r.clientCommits / steps))),
    writeCommitsPerStep: perStep(sumOf((t) => t.writeCommits)),
    durableCommitsPerStep: perStep(sumOf((t) => t.writeCommits - t.relaxedCommits)),
    relaxedCommitsPerStep: perStep(sumOf((t) => t.relaxedCommits)),
    runMs: { median: round(runMs.median, 1), min: round(runMs.min, 1), max: round(runMs.max, 1) },
    concurrency: DRIVER_CONCURRENCY,
    perStepByMethod,
    ...(backend.commitsUnavailable === undefined ? {} : { note: backend.commitsUnavailable }),
  };
}

function environment(options: BenchOptions, reps: Repetitions): Figure {
  return {
    workload: 'environment',
    backend: null,
    steps: null,
    perStepMs: null,
    commitsPerStep: null,
    node: process.version,
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: round(totalmem() / 2 ** 30, 1),
    quick: options.quick,
    postgres: options.databaseUrl !== undefined,
    plannedRepetitions: reps,
  };
}

function render(figures: readonly Figure[]): string {
  const env = figures.find((f) => f.workload === 'environment');
  const runs = figures.filter((f) => f.workload.startsWith('chain-') || f.workload.startsWith('fanout-'));
  const pickups = figures.filter((f) => f.workload === 'pickup');
  const dags = figures.filter((f) => f.workload.startsWith('dag-'));
  const out: string[] = [];
  if (env !== undefined) {
    out.push(
      `Baton bench — node ${String(env.node)}, ${String(env.cpus)} CPUs (${String(env.cpuModel)}), ` +
        `${String(env.memoryGiB)} GiB${env.quick === true ? ', --quick' : ''}`,
    );
  }
  out.push(
    '',
    `No-op scripted phases driven in-process by RunDriver (concurrency ${DRIVER_CONCURRENCY}); medians over N runs.`,
    table(
      [
        'workload',
        'backend',
        'steps',
        'N',
        'ms/step',
        'commits/step',
        'client commits/step',
        'writing/step',
        'durable/step',
      ],
      runs.map((f) => [
        f.workload,
        f.backend,
        f.steps,
        f.repetitions ?? null,
        f.perStepMs,
        f.commitsPerStep,
        f.clientCommitsPerStep ?? null,
        f.writeCommitsPerStep ?? null,
        f.durableCommitsPerStep ?? null,
      ]),
    ),
  );
  for (const f of runs.filter((r) => r.workload === 'chain-1000' || r.workload.startsWith('fanout-'))) {
    const byMethod = Object.entries(f.perStepByMethod ?? {}).sort((a, b) => b[1].commits - a[1].commits);
    out.push(
      '',
      `Per step, by store method — ${f.workload} on ${String(f.backend)}:`,
      table(
        ['method', 'calls', 'commits', 'writing', 'relaxed', 'statements', 'ms (summed)', 'tasks claimed'],
        byMethod.map(([method, t]) => [
          method,
          t.calls,
          t.commits,
          t.writeCommits,
          t.relaxedCommits,
          t.statements,
          t.ms,
          t.tasks,
        ]),
      ),
    );
  }
  out.push(
    '',
    'Pickup latency of an idle worker process (createRun commit acknowledged → phase_started; from the call in brackets):',
    table(
      ['backend', 'N', 'median ms', 'p90 ms', 'min ms', 'max ms', 'note'],
      pickups.map((f) => {
        const ack = f.pickupMs as Quantiles | null;
        const call = f.pickupFromCallMs as Quantiles | undefined;
        const both = (key: keyof Quantiles) =>
          ack === null ? null : `${ack[key]} (${call === undefined ? '?' : call[key]})`;
        return [
          f.backend,
          f.repetitions ?? null,
          both('median'),
          both('p90'),
          both('min'),
          both('max'),
          ack === null ? (f.note ?? '') : '',
        ];
      }),
    ),
    '',
    `${DAG_SIZE}-phase random DAG (seed ${DAG_SEED}, ${num(dags[0], 'edges')} edges, ` +
      `${num(dags[0], 'roots')} roots, depth ${num(dags[0], 'depth')}):`,
    table(
      ['backend', 'N', 'what', 'ms'],
      dags.flatMap((f) =>
        f.backend === 'engine'
          ? ENGINE_ROWS.map(([what, key]) => [f.backend, f.repetitions ?? null, what, num(f, key)])
          : [
              [
                f.backend,
                f.repetitions ?? null,
                `createRun (${num(f, 'serverCommits') ?? '?'} commits)`,
                num(f, 'createRunMs'),
              ],
            ],
      ),
    ),
  );
  if (!runs.some((f) => f.backend === 'postgres')) {
    out.push('', 'PostgreSQL not measured: add `-- --database-url postgres://user@host:port/db`.');
  }
  return out.join('\n');
}

/** The engine's rows of the DAG table: what was timed, and its field. */
const ENGINE_ROWS: readonly (readonly [string, string])[] = [
  ['parseWorkflow (YAML)', 'parseYamlMs'],
  ['parseWorkflow (JSON)', 'parseJsonMs'],
  ['validateWorkflow (object)', 'validateMs'],
  ['step(undefined, create)', 'scheduleMs'],
  ['topologicalOrder (chain defined backwards)', 'topologicalOrderMs'],
  ['validateWorkflow refusing 10,001 phases', 'tooManyPhasesMs'],
  ['validateWorkflow (chain, every need misspelt)', 'misspeltNeedsMs'],
];

/** A numeric extra field of a figure, or null. */
function num(figure: Figure | undefined, key: string): number | null {
  const value = figure?.[key];
  return typeof value === 'number' ? value : null;
}

interface Quantiles {
  readonly median: number;
  readonly p90: number;
  readonly min: number;
  readonly max: number;
}

function nullable(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

function progress(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

process.exitCode = await runBenchCommand(
  { name: 'bench', usage: USAGE, parse: parseOptions, main },
  process.argv.slice(2),
);
