import { fileURLToPath } from 'node:url';

/** The directory of the built-in workflows (`builtins/<name>/workflow.yaml`). */
export const BUILTINS_DIR = fileURLToPath(new URL('../builtins/', import.meta.url));
