/**
 * Command-line options of `npm run bench:server`.
 */
import path from 'node:path';
import { parseBenchOptions, type CommonBenchOptions, type ParsedOptions } from '../bench-command.js';

/** The common options (`quick`: shorter loads, fewer restarts), and the server bench's own. */
export interface ServerBenchOptions extends CommonBenchOptions {
  /** autocannon's concurrent connections. */
  readonly connections: number;
  /** A directory where every served process writes a CPU profile (`node --cpu-prof`). */
  readonly cpuProfDir?: string;
  /** The workloads to run (`--only`; all by default). */
  readonly only: ReadonlySet<ServerWorkload>;
}

/**
 * The workloads: `reads` (start, idle RSS, the snapshot and run-list loads), `delivery` (commit →
 * SSE arrival), `storm` (1,000 clients reconnecting at once), `download` (a 200 MB run's zip).
 */
const SERVER_WORKLOADS = ['reads', 'delivery', 'storm', 'download'] as const;
export type ServerWorkload = (typeof SERVER_WORKLOADS)[number];

/** How long and how often each measurement runs. */
export interface ServerBenchPlan {
  /** Measured seconds of load per route and backend. */
  readonly durationS: number;
  /** Unmeasured seconds of the same load first. */
  readonly warmupS: number;
  /** Starts of an already started home, timed to `/ready`. */
  readonly restarts: number;
  /** Seconds a ready server is left idle before its RSS is read. */
  readonly idleS: number;
}

export const FULL_PLAN: ServerBenchPlan = { durationS: 10, warmupS: 3, restarts: 5, idleS: 5 };
export const QUICK_PLAN: ServerBenchPlan = { durationS: 3, warmupS: 1, restarts: 1, idleS: 5 };

const DEFAULT_CONNECTIONS = 10;

export const USAGE = `Usage: npm run bench:server -- [--json] [--quick] [--database-url URL] [--only LIST] [--connections N] [--cpu-prof DIR]

Benchmarks \`baton serve\` (a child process), on the embedded database (always) and on PostgreSQL
(with a URL): requests/s and latency of a 100-phase run's snapshot (GET /api/runs/:id) and of the
run list (GET /api/runs?limit=50) under autocannon, the time from spawning \`baton serve\` to
/ready and the served process's idle RSS (reads); commit → arrival of run events at 1 and 1,000
SSE clients following 100 runs (delivery); 1,000 clients reconnecting at once with Last-Event-ID
(storm); a 200 MB run downloaded as a zip, with the server's RSS (download). See docs/benchmarks.md.

  --json               one JSON object per line instead of tables
  --quick              3 s loads and one restart, shorter followed runs, a 50 MB download
                       (a smoke run)
  --database-url URL   also serve from this PostgreSQL (default: $BATON_BENCH_DATABASE_URL); a fresh
                       database baton_bench_<random> is created on its server and dropped after
  --only LIST          the workloads, comma-separated: ${SERVER_WORKLOADS.join(',')} (default: all)
  --connections N      concurrent connections of the load (default ${DEFAULT_CONNECTIONS})
  --cpu-prof DIR       every served process writes a CPU profile to DIR when it stops (node
                       --cpu-prof; open it in Chrome DevTools or speedscope)
  -h, --help           this help`;

/** Parses argv; `help` when asked for, an error message for bad flags. */
export function parseServerBenchOptions(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
): ParsedOptions<ServerBenchOptions> {
  return parseBenchOptions(argv, env, ['connections', 'cpu-prof', 'only'], (common, values) => {
    const connections = values.connections === undefined ? DEFAULT_CONNECTIONS : Number(values.connections);
    if (!Number.isInteger(connections) || connections < 1 || connections > 1000)
      throw new Error(`--connections ${values.connections}: a whole number from 1 to 1000`);
    const cpuProf = values['cpu-prof'];
    const only = (values.only ?? SERVER_WORKLOADS.join(',')).split(',').map((name) => name.trim());
    const unknown = only.filter((name) => !(SERVER_WORKLOADS as readonly string[]).includes(name));
    if (unknown.length > 0 || only.length === 0)
      throw new Error(`--only ${values.only}: a comma-separated list of ${SERVER_WORKLOADS.join(', ')}`);
    return {
      ...common,
      connections,
      only: new Set(only as ServerWorkload[]),
      ...(cpuProf === undefined ? {} : { cpuProfDir: path.resolve(cpuProf) }),
    };
  });
}
