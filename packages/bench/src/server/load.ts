/**
 * One load measurement with autocannon: `connections` keep-alive connections send `GET path` with
 * the bearer token for `durationS` seconds, after an unmeasured warm-up of the same (JIT, prepared
 * statements, the store's cache). The load generator runs in this process, the server in its own
 * (`serve-process.ts`); the CPU each used, and the machine's, are read around the measured part.
 */
import autocannon from 'autocannon';
import { cpuMark, cpuSince, type CpuUse } from './cpu-sample.js';

export interface LoadOptions {
  readonly url: string;
  readonly path: string;
  readonly token: string;
  readonly serverPid: number;
  readonly connections: number;
  readonly durationS: number;
  readonly warmupS: number;
}

export interface LoadFigure {
  /** Completed 2xx responses per second over the measured part. */
  readonly requestsPerSecond: number;
  /** Latency percentiles in ms (autocannon records whole milliseconds). */
  readonly latencyMs: {
    readonly p50: number;
    readonly p90: number;
    readonly p99: number;
    readonly max: number;
    readonly mean: number;
  };
  readonly requests: number;
  readonly non2xx: number;
  readonly errors: number;
  /** Bytes of one response (body and headers), averaged. */
  readonly bytesPerResponse: number;
  readonly cpu: CpuUse;
  /** The served process's CPU time per request, in ms: the cost of a request on an idle core. */
  readonly serverCpuMsPerRequest: number | null;
}

/** Warms up, then measures; fails when any response is not 2xx or a connection fails. */
export async function measureLoad(options: LoadOptions): Promise<LoadFigure> {
  await fire(options, options.warmupS);
  const mark = await cpuMark(options.serverPid);
  const result = await fire(options, options.durationS);
  const cpu = await cpuSince(mark, options.serverPid);
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(
      `GET ${options.path}: ${result.non2xx} answers were not 2xx and ${result.errors} requests failed ` +
        `(4xx ${result['4xx']}, 5xx ${result['5xx']}, timeouts ${result.timeouts})`,
    );
  const requests = result.requests.total;
  return {
    requestsPerSecond: Math.round(requests / result.duration),
    latencyMs: {
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      max: result.latency.max,
      mean: Math.round(result.latency.mean * 100) / 100,
    },
    requests,
    non2xx: result.non2xx,
    errors: result.errors,
    bytesPerResponse: requests === 0 ? 0 : Math.round(result.throughput.total / requests),
    cpu,
    serverCpuMsPerRequest:
      cpu.serverMs === null || requests === 0 ? null : Math.round((1000 * cpu.serverMs) / requests) / 1000,
  };
}

function fire(options: LoadOptions, durationS: number): Promise<autocannon.Result> {
  return autocannon({
    url: `${options.url}${options.path}`,
    method: 'GET',
    headers: { authorization: `Bearer ${options.token}` },
    connections: options.connections,
    pipelining: 1,
    duration: durationS,
    timeout: 10,
  });
}
