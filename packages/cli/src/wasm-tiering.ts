/**
 * How V8 compiles the embedded database's WebAssembly in a `baton` process. PGlite is PostgreSQL
 * compiled to a large WebAssembly module: V8 compiles it first with its baseline compiler
 * (Liftoff), then recompiles every function that gets hot with its optimizing compiler on
 * background threads. That second compilation costs about a second of CPU in every process that
 * opens a home — more than the rest of `baton runs` or `baton show` together (measured on a
 * 2-CPU machine: `baton runs` 1.9 s of CPU with it, 1.2 s without) — and a command that ends
 * within seconds never earns it back. The commands that run until stopped keep it.
 */
import { setFlagsFromString } from 'node:v8';

/** Commands that run until stopped: their database work goes on for hours, and optimized code pays. */
const LONG_RUNNING: ReadonlySet<string> = new Set(['serve', 'worker']);

/**
 * Keeps WebAssembly on the baseline compiler for the rest of the process unless `command` runs
 * until stopped. Call it before the process compiles any (before a command opens a home); only
 * the speed of the code changes, never what it does.
 */
export function chooseWasmTiering(command: string): void {
  if (!LONG_RUNNING.has(command)) setFlagsFromString('--liftoff-only');
}
