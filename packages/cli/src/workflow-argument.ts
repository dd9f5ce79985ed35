/**
 * What a command that takes a workflow (`baton run`, `baton validate`, `baton graph`) was given:
 * a file, or the name of a built-in workflow. A path that exists wins over a name; a name that is
 * neither says what exists.
 *
 * The built-ins are those of `@baton/workflows`, or of `$BATON_BUILTINS_DIR` when it is set (a
 * directory of `<name>/workflow.yaml`, for tests: see docs/workflows/README.md).
 */
import { stat } from 'node:fs/promises';
import { BatonError, ErrorCode } from '@baton/engine';
import { loadWorkflowFile, type LoadWorkflowResult } from '@baton/runtime';
import { BUILTINS_DIR, builtinNames, describeBuiltins, loadBuiltin } from '@baton/workflows';
import { cliBuiltinSteps } from './builtin-steps.js';

/** The directory of the built-in workflows this process uses. */
export function builtinsDir(): string {
  return process.env.BATON_BUILTINS_DIR?.trim() || BUILTINS_DIR;
}

/** A workflow argument: a path that exists, or a name (not checked yet). */
export type WorkflowArgument =
  { readonly kind: 'file'; readonly file: string } | { readonly kind: 'name'; readonly name: string };

/** `file` when `argument` is a path that exists (any kind of entry: the loader says what is wrong), else `name`. */
export async function workflowArgument(argument: string): Promise<WorkflowArgument> {
  const found = await stat(argument).then(
    () => true,
    () => false,
  );
  return found ? { kind: 'file', file: argument } : { kind: 'name', name: argument };
}

/** The error of a name that is neither a file nor a built-in, listing the built-ins. */
function unknownWorkflow(name: string, names: readonly string[]): BatonError {
  return new BatonError(
    ErrorCode.badRequest,
    `no file ${name} and no built-in workflow of that name; ${describeBuiltins(names)}`,
  );
}

/** A loaded workflow argument: the result, and how messages name it (the path, or `NAME (built-in)`). */
export interface LoadedArgument {
  readonly label: string;
  readonly result: LoadWorkflowResult;
}

/**
 * Loads a workflow argument: the file, or the built-in of that name (which always loads: one that
 * does not is `BUILTIN_INVALID`, a bug). Fails with `BAD_REQUEST` for a name that is neither.
 */
export async function loadWorkflowArgument(argument: string): Promise<LoadedArgument> {
  const resolved = await workflowArgument(argument);
  const builtinSteps = cliBuiltinSteps();
  if (resolved.kind === 'file')
    return { label: argument, result: await loadWorkflowFile(argument, { builtinSteps }) };
  const dir = builtinsDir();
  const names = await builtinNames({ dir });
  if (!names.includes(resolved.name)) throw unknownWorkflow(resolved.name, names);
  const loaded = await loadBuiltin(resolved.name, { dir, builtinSteps });
  return { label: `${resolved.name} (built-in)`, result: { ok: true, loaded } };
}
