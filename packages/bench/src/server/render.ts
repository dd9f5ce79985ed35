/**
 * The server bench's results: one {@link ServerFigure} per measurement, printed as JSON lines or as
 * tables, each against its target.
 */
import { table } from '../figures.js';
import type { LoadFigure } from './load.js';
import { renderStreams } from './render-streams.js';

/** The targets the figures are held against. */
export const TARGETS = {
  reads: { what: '≥ 2,000 req/s and p99 ≤ 20 ms (PostgreSQL)', limit: 2000, p99Ms: 20 },
  readyMs: { what: '≤ 5 s from spawn to /ready (embedded, after the first start)', limit: 5000 },
  idleRssMb: { what: '≤ 400 MB idle (embedded)', limit: 400 },
  delivery: { what: 'commit → SSE arrival p99 ≤ 25 ms at 1,000 clients', p99Ms: 25 },
  storm: { what: 'every reconnecting client ends with exactly the log (asserted)' },
  download: { what: "a 200 MB run's zip with the server's RSS growing < 50 MB", growthMb: 50 },
} as const;

/** One result line. `target` is null when the figure is for information only. */
export interface ServerFigure {
  readonly workload: string;
  readonly backend: 'pglite' | 'postgres' | null;
  readonly target?: { readonly what: string; readonly met: boolean } | null;
  readonly note?: string;
  readonly [extra: string]: unknown;
}

export function render(figures: readonly ServerFigure[]): string {
  const env = figures.find((f) => f.workload === 'environment');
  const loads = figures.filter((f) => f.workload === 'snapshot' || f.workload === 'run-list');
  const out: string[] = [];
  if (env !== undefined) {
    const plan = env.plan as { durationS: number; warmupS: number; restarts: number; idleS: number };
    out.push(
      `Baton server bench — node ${String(env.node)}, ${String(env.cpus)} CPUs (${String(env.cpuModel)}), ` +
        `${String(env.memoryGiB)} GiB, load average ${(env.loadAverage as number[]).join(' ')} at the start` +
        `${env.quick === true ? ', --quick' : ''}`,
      '',
      `Reads under load: autocannon in the bench process, ${String(env.connections)} connections, ` +
        `${plan.warmupS} s warm-up then ${plan.durationS} s measured; \`baton serve\` in its own process.`,
      'CPU: % of one core (server, bench = autocannon), machine = % of all cores busy (anything running).',
    );
  }
  // Only what ran: `--only` may leave out the reads.
  if (figures.some((f) => ['snapshot', 'run-list', 'ready', 'rss'].includes(f.workload))) {
    out.push(
      table(
        [
          'backend',
          'route',
          'req/s',
          'p50 ms',
          'p90 ms',
          'p99 ms',
          'max ms',
          'server CPU %',
          'server CPU ms/req',
          'bench CPU %',
          'machine %',
          'load avg',
          'target',
        ],
        loads.map((f) => {
          const load = f as ServerFigure & LoadFigure;
          return [
            f.backend,
            String(f.route),
            load.requestsPerSecond,
            load.latencyMs.p50,
            load.latencyMs.p90,
            load.latencyMs.p99,
            load.latencyMs.max,
            load.cpu.serverPercent,
            load.serverCpuMsPerRequest,
            load.cpu.clientPercent,
            load.cpu.machineBusyPercent,
            load.cpu.loadAverage1,
            verdict(f),
          ];
        }),
      ),
      '',
      'Start (spawn → first 200 of /ready) and resident memory of the served process:',
      table(
        ['backend', 'what', 'figure', 'target'],
        figures
          .filter((f) => f.workload === 'ready' || f.workload === 'rss')
          .map((f) => [f.backend, describe(f), value(f), verdict(f)]),
      ),
    );
  }
  out.push(...renderStreams(figures, verdict));
  if (!figures.some((f) => f.backend === 'postgres')) {
    out.push('', 'PostgreSQL not measured: add `-- --database-url postgres://user@host:port/db`.');
  }
  return out.join('\n');
}

function describe(figure: ServerFigure): string {
  if (figure.workload === 'ready') {
    return figure.start === 'first'
      ? 'ready, first start of a new home'
      : `ready, start of a started home (median of ${String(figure.repetitions)})`;
  }
  return `RSS after ${String(figure.after)}`;
}

function value(figure: ServerFigure): string {
  if (figure.workload === 'ready') {
    const ms = figure.ms as number | { median: number; min: number; max: number };
    return typeof ms === 'number' ? `${ms} ms` : `${ms.median} ms (${ms.min}–${ms.max})`;
  }
  return typeof figure.mb === 'number' ? `${figure.mb} MB` : '—';
}

function verdict(figure: ServerFigure): string {
  if (figure.target === undefined || figure.target === null) return 'information';
  return `${figure.target.met ? 'met' : 'MISSED'}: ${figure.target.what}`;
}
