/**
 * The builtin steps of this `baton` process: the ones `builtin` phases may run, and the names a
 * workflow is checked against when it is loaded. `@baton/workflows`' steps, unless the program
 * that runs the CLI gives others (`main(argv, { builtinSteps })`, once, before any command).
 */
import type { BuiltinSteps } from '@baton/engine';
import { builtinSteps } from '@baton/workflows';

let steps: BuiltinSteps = builtinSteps;

/** The steps this process runs. */
export function cliBuiltinSteps(): BuiltinSteps {
  return steps;
}

/** Chooses the steps this process runs (the entry point does, before any command). */
export function useBuiltinSteps(chosen: BuiltinSteps): void {
  steps = chosen;
}

/** Options of `main`: how the program that runs the CLI composes it. */
export interface MainOptions {
  /** The builtin steps of this process, instead of `@baton/workflows`' own. */
  readonly builtinSteps?: BuiltinSteps;
}
