/**
 * The stream workloads' tables (delivery, storm, download) for the human output.
 */
import { table } from '../figures.js';
import type { CpuUse } from './cpu-sample.js';

/** A latency summary (`LatencySummary` of stream-context.ts, which imports render.ts). */
interface Latency {
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
}

/** A result line (`ServerFigure` of render.ts, which imports this file). */
interface Figure {
  readonly workload: string;
  readonly backend: string | null;
  readonly [extra: string]: unknown;
}

export function renderStreams<ServerFigure extends Figure>(
  figures: readonly ServerFigure[],
  verdict: (f: ServerFigure) => string,
): string[] {
  const out: string[] = [];
  const of = (workload: string) => figures.filter((f) => f.workload === workload);
  const cpuOf = (f: ServerFigure) => (f.cpu as CpuUse).serverPercent;
  if (of('delivery').length > 0) {
    out.push(
      '',
      "Event delivery, commit → SSE arrival (from `commit`: PostgreSQL's commit timestamp; from `at`: the writer's clock before its write, an upper bound that counts the write too):",
      table(
        [
          'backend',
          'clients',
          'runs',
          'round',
          'events timed',
          'from',
          'p50 ms',
          'p90 ms',
          'p99 ms',
          'max ms',
          'write p50/p99 ms',
          'at → arrival p99 ms',
          'connect ms',
          'server CPU %',
          'target',
        ],
        of('delivery').map((f) => {
          const l = f.latencyMs as Latency | null;
          const write = f.writeMs as Latency | null | undefined;
          const fromAt = f.writeAndDeliveryMs as Latency | null | undefined;
          return [
            f.backend,
            f.clients as number,
            f.runs as number,
            f.warmup === true ? 'warm-up' : 'measured',
            f.eventsTimed as number,
            (f.measuredFrom as string | undefined) ?? 'at',
            l?.p50 ?? '—',
            l?.p90 ?? '—',
            l?.p99 ?? '—',
            l?.max ?? '—',
            write ? `${write.p50}/${write.p99}` : '—',
            fromAt?.p99 ?? '—',
            f.connectMs as number,
            cpuOf(f),
            verdict(f),
          ];
        }),
      ),
    );
  }
  if (of('storm').length > 0) {
    out.push(
      '',
      'Reconnect storm: every client drops at once, then all reconnect at once with Last-Event-ID:',
      table(
        [
          'backend',
          'clients',
          'gap events',
          'all answered ms',
          'all gaps served ms',
          'server CPU %',
          'events checked',
          'target',
        ],
        of('storm').map((f) => [
          f.backend,
          f.clients as number,
          f.gapEvents as number,
          f.answeredMs as number,
          f.gapsServedMs as number,
          cpuOf(f),
          f.events as number,
          verdict(f),
        ]),
      ),
    );
  }
  if (of('download').length > 0) {
    out.push(
      '',
      "Run download as a zip, the served process's RSS (sampled every 20 ms):",
      table(
        [
          'backend',
          'outputs MB',
          'zip MB',
          'ms',
          'RSS before MB',
          'peak MB',
          'after MB',
          'growth MB',
          'target',
        ],
        of('download').map((f) => {
          const rss = f.rssMb as { before: number | null; peak: number; after: number | null };
          return [
            f.backend,
            Math.round((f.outputBytes as number) / 1e6),
            Math.round((f.zipBytes as number) / 1e6),
            f.ms as number,
            rss.before ?? '—',
            rss.peak,
            rss.after ?? '—',
            (f.growthMb as number | null) ?? '—',
            verdict(f),
          ];
        }),
      ),
    );
  }
  return out;
}
