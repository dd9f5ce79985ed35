/**
 * `@baton/workflows`: the built-in workflows, each a directory `builtins/<name>/` holding
 * `workflow.yaml` and its offline `fixtures.yaml`, and the `builtin` steps they run.
 */
import { fileURLToPath } from 'node:url';

/** The directory of the built-in workflows (`builtins/<name>/workflow.yaml`). */
export const BUILTINS_DIR = fileURLToPath(new URL('../builtins/', import.meta.url));
