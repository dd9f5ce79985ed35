/**
 * `onReject` of a phase: what a person's reject does to it (`fail`, the default, or `skip`; see
 * `OnReject`). Only a phase a person can reject takes it:
 * - a phase with `gate: true` (its gate);
 * - a `human` phase (its submission can be rejected);
 * - an `agent` phase (a person answers its interrupts and budget waits, and may reject them).
 * A `tool`, `builtin` or `map` phase without a gate never waits for a person, so the field would
 * never apply: it is refused rather than silently ignored. A reviewer is refused `skip`: skipping a
 * reviewer ends its review as if it approved, which would turn a person's reject into an approval
 * of the reviewed output (set `onReject` on the reviewed phase and reject at its gate instead).
 */
import type { Problem } from '../errors.js';
import type { OnReject, PhaseKind } from '../types.js';
import { describeValue, hintFor, listWords } from './field-checks.js';
import { suggest } from './suggest.js';

const ON_REJECT: readonly OnReject[] = ['fail', 'skip'];

/** What `checkOnReject` needs to know of the phase beside the field itself. */
export interface OnRejectContext {
  readonly kind: PhaseKind | undefined;
  readonly gate: boolean;
  /** Set when the phase is a reviewer: the phase it reviews. */
  readonly reviews: string | undefined;
}

/**
 * Checks `onReject` (at `path`) and returns it normalised: `skip`, or `undefined` for the default
 * `fail` (normalised definitions leave it out). Problems go to `problems`: a value that is not
 * `fail` or `skip` (with a did-you-mean), the field on a phase no person can reject, `skip` on a
 * reviewer.
 */
export function checkOnReject(
  value: unknown,
  path: string,
  phase: OnRejectContext,
  problems: Problem[],
): OnReject | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !(ON_REJECT as readonly string[]).includes(value)) {
    const match = typeof value === 'string' ? suggest(value, ON_REJECT) : undefined;
    const shown = typeof value === 'string' ? `"${value}"` : describeValue(value);
    problems.push({
      path,
      message: `unknown onReject ${shown} (expected ${listWords(ON_REJECT)}${match === undefined ? '' : `; did you mean "${match}"?`})`,
      ...hintFor(match),
    });
    return undefined;
  }
  const { kind, gate, reviews } = phase;
  if (kind !== undefined && !gate && kind !== 'human' && kind !== 'agent') {
    problems.push({
      path,
      message: `a ${kind} phase without a gate is never rejected by a person, so onReject would never apply (set gate: true, or remove onReject)`,
    });
    return undefined;
  }
  if (value === 'skip' && reviews !== undefined) {
    problems.push({
      path,
      message: `a reviewer cannot take onReject: skip — a skipped reviewer ends its review as if it approved "${reviews}"; set onReject on "${reviews}" and reject at its gate instead`,
    });
    return undefined;
  }
  return value === 'skip' ? 'skip' : undefined;
}
