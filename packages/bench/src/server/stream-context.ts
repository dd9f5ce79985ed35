/**
 * What every stream workload is given (a running `baton serve`, a token, where figures go), and the
 * latency summary they share.
 */
import { quantile } from '../figures.js';
import type { ServerFigure } from './render.js';

export interface StreamContext {
  readonly backend: 'pglite' | 'postgres';
  readonly url: string;
  readonly token: string;
  /** The served database, on PostgreSQL (the embedded one is inside the served process). */
  readonly databaseUrl?: string;
  /** The served process, for `/proc`. */
  readonly pid: number;
  readonly quick: boolean;
  readonly emit: (figure: ServerFigure) => void;
  readonly progress: (message: string) => void;
}

export interface LatencySummary {
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
}

/** Percentiles (nearest rank) of `values` in ms; null without values. */
export function latencySummary(values: readonly number[]): LatencySummary | null {
  if (values.length === 0) return null;
  const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
  return {
    p50: quantile(values, 0.5),
    p90: quantile(values, 0.9),
    p99: quantile(values, 0.99),
    max: values.reduce((m, v) => Math.max(m, v), Number.NEGATIVE_INFINITY),
    mean: Math.round(mean * 10) / 10,
  };
}

/** Waits until `ready()` holds, polling every `everyMs`; fails after `timeoutMs` with `what`. */
export async function waitFor(
  ready: () => boolean,
  what: string,
  timeoutMs: number,
  everyMs = 10,
): Promise<void> {
  const started = performance.now();
  while (!ready()) {
    if (performance.now() - started > timeoutMs) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** `promise`, or a failure naming `what` after `timeoutMs` (the timer is cleared either way). */
export async function within<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what}: not within ${timeoutMs / 1000} s`)), timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
