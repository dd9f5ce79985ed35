/** The `builtin` steps Baton ships, by name: what a `kind: builtin` phase's `run:` may name. */
import type { BuiltinSteps } from '@baton/engine';
import { verdictStep } from './verdict.js';

/** Every built-in step by name. */
export const builtinSteps: BuiltinSteps = { [verdictStep.name]: verdictStep };
