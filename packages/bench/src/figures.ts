/**
 * The bench's results: one {@link Figure} per workload and backend, printed as JSON lines or as
 * tables.
 */
import type { MethodTally } from './commit-tally.js';

/** Median, minimum and maximum of repeated measurements. */
export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

/** One result line. Fields that do not apply are null (with `note` saying why) or absent. */
export interface Figure {
  readonly workload: string;
  readonly backend: 'pglite' | 'postgres' | 'engine' | null;
  readonly steps: number | null;
  /** Median over repetitions of (run wall time / steps). */
  readonly perStepMs: number | null;
  /** Median over repetitions of (pg_stat_database.xact_commit delta / steps). */
  readonly commitsPerStep: number | null;
  readonly repetitions?: number;
  /** Commits counted by the client (per store method, summed), per step. */
  readonly clientCommitsPerStep?: number | null;
  /** Of those, commits that wrote (a transaction id, a commit record), per step. */
  readonly writeCommitsPerStep?: number;
  /** Writing commits that wait for the WAL flush (not `synchronous_commit = off`), per step. */
  readonly durableCommitsPerStep?: number;
  /** Writing commits with `synchronous_commit = off`, per step. */
  readonly relaxedCommitsPerStep?: number;
  readonly runMs?: Spread;
  readonly concurrency?: number;
  /** Per store method, averaged per step over all repetitions. */
  readonly perStepByMethod?: Readonly<Record<string, MethodTally>>;
  readonly [extra: string]: unknown;
  readonly note?: string;
}

export function spread(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: median(sorted), min: sorted[0] ?? Number.NaN, max: sorted.at(-1) ?? Number.NaN };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The `q` quantile (0..1) by nearest rank. */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
}

/** Rounds for display and JSON: 3 significant decimals are plenty for milliseconds. */
export function round(value: number, digits = 3): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** A plain text table, columns padded to their widest cell; numbers right-aligned. */
export function table(
  header: readonly string[],
  rows: readonly (readonly (string | number | null)[])[],
): string {
  const cells = [header, ...rows.map((row) => row.map((cell) => (cell === null ? '—' : String(cell))))];
  const widths = header.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? '').length)));
  const numeric = header.map((_, i) => rows.every((row) => row[i] === null || typeof row[i] === 'number'));
  const line = (row: readonly string[]) =>
    row
      .map((cell, i) => (numeric[i] ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(cells[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join(
    '\n',
  );
}
