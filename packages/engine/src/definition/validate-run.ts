/**
 * The `run` field of a phase: a `tool` phase's shell command, or a `builtin` phase's step name.
 */
import type { Problem } from '../errors.js';
import type { PhaseKind } from '../types.js';
import { describeValue, fieldPath, hintFor } from './field-checks.js';
import type { PhaseContext } from './phase-context.js';
import { BUILTIN_STEP_PATTERN } from './rules.js';
import { suggest } from './suggest.js';

/**
 * Checks `run`: required on `tool` and `builtin` phases, refused on the other kinds. A tool's is
 * any non-empty text (its command); a builtin's is a step name (`^[a-z][a-z0-9-]*$`) and, when the
 * caller knows the steps (`context.knownSteps`), one of them — else the problem lists them with a
 * did-you-mean. Returns the value when it is usable.
 */
export function checkRun(
  raw: Record<string, unknown>,
  kind: PhaseKind | undefined,
  phasePath: string,
  context: Pick<PhaseContext, 'knownSteps'>,
  problems: Problem[],
): string | undefined {
  const path = fieldPath(phasePath, 'run');
  const value = raw.run;
  if (kind !== undefined && kind !== 'tool' && kind !== 'builtin') {
    if (value !== undefined) {
      problems.push({
        path,
        message: `only tool and builtin phases take run (this is ${kind === 'agent' ? 'an' : 'a'} ${kind} phase)`,
      });
    }
    return undefined;
  }
  const what = kind === 'builtin' ? 'the name of the builtin step to run' : 'the shell command to run';
  if (value === undefined) {
    if (kind !== undefined) {
      problems.push({ path, message: `missing required field (a ${kind} phase needs ${what})` });
    }
    return undefined;
  }
  if (typeof value !== 'string' || value.trim() === '') {
    problems.push({ path, message: `must be non-empty text (${what}), got ${describeValue(value)}` });
    return undefined;
  }
  if (kind !== 'builtin') return value;
  if (!BUILTIN_STEP_PATTERN.test(value)) {
    problems.push({
      path,
      message: `invalid step name ${JSON.stringify(value)} (a builtin step is named with lowercase letters, digits and "-", starting with a letter, such as "verdict")`,
    });
    return undefined;
  }
  const known = context.knownSteps;
  if (known !== undefined && !known.includes(value)) {
    const match = suggest(value, known);
    const listed = known.length === 0 ? 'none are available here' : `known steps: ${known.join(', ')}`;
    problems.push({
      path,
      message: `unknown builtin step "${value}" (${listed}${match === undefined ? '' : `; did you mean "${match}"?`})`,
      ...hintFor(match),
    });
    return undefined;
  }
  return value;
}
