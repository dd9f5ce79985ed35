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
}

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

export const USAGE = `Usage: npm run bench:server -- [--json] [--quick] [--database-url URL] [--connections N] [--cpu-prof DIR]

Benchmarks \`baton serve\` (a child process): requests/s and latency of a 100-phase run's snapshot
(GET /api/runs/:id) and of the run list (GET /api/runs?limit=50) under autocannon, on the embedded
database (always) and on PostgreSQL (with a URL); the time from spawning \`baton serve\` to /ready;
the served process's idle RSS. See docs/benchmarks.md.

  --json               one JSON object per line instead of tables
  --quick              3 s loads and one restart (2–3 minutes: completing the
                       runs the loads read takes most of it)
  --database-url URL   also serve from this PostgreSQL (default: $BATON_BENCH_DATABASE_URL); a fresh
                       database baton_bench_<random> is created on its server and dropped after
  --connections N      concurrent connections of the load (default ${DEFAULT_CONNECTIONS})
  --cpu-prof DIR       every served process writes a CPU profile to DIR when it stops (node
                       --cpu-prof; open it in Chrome DevTools or speedscope)
  -h, --help           this help`;

/** Parses argv; `help` when asked for, an error message for bad flags. */
export function parseServerBenchOptions(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
): ParsedOptions<ServerBenchOptions> {
  return parseBenchOptions(argv, env, ['connections', 'cpu-prof'], (common, values) => {
    const connections = values.connections === undefined ? DEFAULT_CONNECTIONS : Number(values.connections);
    if (!Number.isInteger(connections) || connections < 1 || connections > 1000)
      throw new Error(`--connections ${values.connections}: a whole number from 1 to 1000`);
    const cpuProf = values['cpu-prof'];
    return {
      ...common,
      connections,
      ...(cpuProf === undefined ? {} : { cpuProfDir: path.resolve(cpuProf) }),
    };
  });
}
