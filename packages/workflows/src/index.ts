/**
 * `@baton/workflows`: the built-in workflows, each a directory `builtins/<name>/` holding
 * `workflow.yaml` and its offline `fixtures.yaml`, and the `builtin` steps they run.
 */
import { fileURLToPath } from 'node:url';
import type { BuiltinSteps } from '@baton/engine';

/** The directory of the built-in workflows (`builtins/<name>/workflow.yaml`). */
export const BUILTINS_DIR = fileURLToPath(new URL('../builtins/', import.meta.url));

/**
 * The builtin steps `kind: builtin` phases run (`run: NAME`), by name; each key is its step's
 * `name`. The CLI and `baton serve` pass them to the runtime's builtin handler and to workflow
 * validation.
 */
export const builtinSteps: BuiltinSteps = {};
