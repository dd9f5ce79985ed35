/**
 * Command-line options of `npm run bench`.
 */
import { parseBenchOptions, type CommonBenchOptions, type ParsedOptions } from './bench-command.js';

/** `npm run bench` takes the common options only. */
export type BenchOptions = CommonBenchOptions;

/** The repetitions of each measurement. */
export interface Repetitions {
  readonly chain100: number;
  readonly chain1000: number;
  readonly fanout100: number;
  readonly pickupSamples: number;
  readonly dag: number;
}

export const FULL: Repetitions = { chain100: 7, chain1000: 3, fanout100: 7, pickupSamples: 20, dag: 3 };
export const QUICK: Repetitions = { chain100: 2, chain1000: 1, fanout100: 2, pickupSamples: 5, dag: 1 };

export const USAGE = `Usage: npm run bench -- [--json] [--quick] [--database-url URL]

Benchmarks orchestration overhead on PGlite (always) and PostgreSQL (with a URL): per-step time
and commits of no-op chains and a fan-out, the pickup latency of an idle worker process, and the
cost of a 10,000-phase DAG. See docs/benchmarks.md.

  --json               one JSON object per line instead of tables
  --quick              fewer repetitions (about a minute)
  --database-url URL   also benchmark this PostgreSQL (default: $BATON_BENCH_DATABASE_URL); a fresh
                       database baton_bench_<random> is created on its server and dropped after
  -h, --help           this help`;

/** Parses argv; `help` when asked for, an error message for bad flags. */
export function parseOptions(argv: readonly string[], env: NodeJS.ProcessEnv): ParsedOptions<BenchOptions> {
  return parseBenchOptions(argv, env, [], (common) => common);
}
