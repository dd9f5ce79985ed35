/**
 * The `ui-baseline` step (`kind: builtin, run: ui-baseline`): phase A's context — the baseline UI
 * as a constrained UI schema with its design tokens, the goals, the rubric (criteria with weights),
 * the constraints and each variant's slot and brief, as a person submitted it — checked in full
 * and stored as **ParentVersion V0**, the version every variant is a patch of.
 *
 * The human phase's `output` schema checks the shape at submission; this step checks what JSON
 * Schema cannot: the document against `@baton/ui-schema` (vocabulary, safe links, unique ids,
 * limits), rubric ids unique, each slot an id of the baseline. It answers as the reviewer of the
 * human phase (`reviews: context`), as `apply-ui-patch` reviews a variant: a context that passes is
 * approved and the output *is* V0 (with `verdict: approve, findings: []`); one that fails gets
 * `revise` with one blocking finding per problem (`baseline.root.children[4].href: …`), and the
 * engine's review loop asks the person again with them as feedback. A wiring mistake of the
 * workflow (no context among the inputs) is `fail`: no person can fix it by submitting again.
 */
import { validateDocument } from '@baton/ui-schema';
import type { BuiltinStep, JsonValue } from '@baton/engine';
import {
  BASELINE_REVIEW_SCHEMA,
  inputsWhere,
  isObject,
  PARENT_VERSION_KIND,
  type ParentVersion,
  type RubricCriterion,
  type VariantBrief,
} from './ui-versions.js';

/** The version id of the baseline. */
const BASELINE_VERSION_ID = 'V0';

interface Problem {
  readonly path: string;
  readonly message: string;
}

const ID = /^[a-z][a-z0-9-]*$/;

function strings(
  value: JsonValue | undefined,
  path: string,
  problems: Problem[],
  required: boolean,
): string[] {
  if (value === undefined && !required) return [];
  if (!Array.isArray(value) || (required && value.length === 0)) {
    problems.push({ path, message: `must be a list of text${required ? ' with at least one entry' : ''}` });
    return [];
  }
  const found: string[] = [];
  value.forEach((item, index) => {
    if (typeof item === 'string' && item.trim() !== '') found.push(item);
    else problems.push({ path: `${path}[${index}]`, message: 'must be text that is not empty' });
  });
  return found;
}

function rubricOf(value: JsonValue | undefined, problems: Problem[]): RubricCriterion[] {
  if (!Array.isArray(value) || value.length === 0) {
    problems.push({
      path: 'rubric',
      message: 'must be a list of at least one criterion {id, criterion, weight}',
    });
    return [];
  }
  const rubric: RubricCriterion[] = [];
  const seen = new Set<string>();
  value.forEach((item, index) => {
    const at = `rubric[${index}]`;
    if (!isObject(item)) {
      problems.push({ path: at, message: 'must be an object {id, criterion, weight}' });
      return;
    }
    const { id, criterion, weight } = item;
    if (typeof id !== 'string' || !ID.test(id))
      problems.push({ path: `${at}.id`, message: 'must be a short id of lower-case letters, digits and -' });
    else if (seen.has(id))
      problems.push({ path: `${at}.id`, message: `"${id}" is used by another criterion` });
    if (typeof criterion !== 'string' || criterion.trim() === '')
      problems.push({ path: `${at}.criterion`, message: 'must say what is judged' });
    if (typeof weight !== 'number' || !(weight > 0))
      problems.push({ path: `${at}.weight`, message: 'must be a number above 0' });
    if (typeof id === 'string' && typeof criterion === 'string' && typeof weight === 'number') {
      seen.add(id);
      rubric.push({ id, criterion, weight });
    }
  });
  return rubric;
}

function variantsOf(
  value: JsonValue | undefined,
  ids: ReadonlySet<string>,
  problems: Problem[],
): Record<string, VariantBrief> {
  if (!isObject(value) || Object.keys(value).length === 0) {
    problems.push({
      path: 'variants',
      message: 'must give each variant phase its slot and brief: {"variant-a": {slot, brief}, …}',
    });
    return {};
  }
  const variants: Record<string, VariantBrief> = {};
  for (const [id, entry] of Object.entries(value)) {
    const at = `variants.${id}`;
    if (!isObject(entry) || typeof entry.slot !== 'string' || typeof entry.brief !== 'string') {
      problems.push({
        path: at,
        message: 'must be {slot, brief}: the id of the node it changes, and what to do',
      });
      continue;
    }
    if (!ids.has(entry.slot)) {
      const known = [...ids].slice(0, 30).join(', ');
      problems.push({
        path: `${at}.slot`,
        message: `no node of the baseline has the id "${entry.slot}"; a slot is the id of a node: ${known === '' ? 'the baseline has no ids' : known}`,
      });
    }
    if (entry.brief.trim() === '')
      problems.push({ path: `${at}.brief`, message: 'must say what the variant should do' });
    variants[id] = { slot: entry.slot, brief: entry.brief };
  }
  return variants;
}

/** At most this many nodes are walked for ids in a document that did not validate. */
const MAX_WALKED = 100_000;

/**
 * The ids of the nodes of `root` — a document that validated, or one that did not (then walked as
 * plain JSON, up to {@link MAX_WALKED} nodes), so a slot is checked even when the UI has problems
 * and the person sees every problem in one round.
 */
function documentIds(root: unknown): Set<string> {
  const ids = new Set<string>();
  const stack: unknown[] = [root];
  for (let walked = 0; stack.length > 0 && walked < MAX_WALKED; walked++) {
    const node = stack.pop();
    if (!isObject(node)) continue;
    if (typeof node.id === 'string') ids.add(node.id);
    for (const key of ['children', 'items']) {
      const nested = node[key];
      if (Array.isArray(nested)) for (const child of nested) stack.push(child);
    }
  }
  return ids;
}

/**
 * V0 from `context` (the submitted context), or every problem with its path in the context
 * (`baseline.root.children[1].href`, `rubric[0].weight`, `variants.variant-a.slot`).
 */
export function checkContext(
  context: JsonValue,
): { ok: true; version: ParentVersion } | { ok: false; problems: Problem[] } {
  if (!isObject(context))
    return {
      ok: false,
      problems: [{ path: '', message: 'the context must be an object {baseline, goals, rubric, variants}' }],
    };
  const problems: Problem[] = [];
  const checked = validateDocument(context.baseline, 'baseline');
  if (!checked.ok) problems.push(...checked.problems);
  const goals = strings(context.goals, 'goals', problems, true);
  const constraints = strings(context.constraints, 'constraints', problems, false);
  const rubric = rubricOf(context.rubric, problems);
  const ids = documentIds(
    checked.ok ? checked.value.root : isObject(context.baseline) ? context.baseline.root : undefined,
  );
  const variants = variantsOf(context.variants, ids, problems);
  if (!checked.ok || problems.length > 0) return { ok: false, problems };
  const uiSchema = checked.value;
  return {
    ok: true,
    version: {
      kind: PARENT_VERSION_KIND,
      versionId: BASELINE_VERSION_ID,
      parentVersionId: null,
      uiSchema,
      tokens: uiSchema.tokens,
      goals,
      rubric,
      constraints,
      variants,
    },
  };
}

type Json = { [key: string]: JsonValue };

/**
 * The reviewer's answer for the context among `inputs`: `approve` with V0 (its fields beside the
 * verdict), `revise` with one blocking finding per problem, or `fail` when there is no context to
 * check (a wiring mistake of the workflow, not the person's).
 */
function reviewContext(inputs: Readonly<Record<string, JsonValue>>, needs: readonly string[]): Json {
  const found = inputsWhere(inputs, needs, (value) => isObject(value) && 'baseline' in value);
  if (found.length !== 1) {
    const message = `needs exactly one context ({baseline, goals, rubric, variants}) among its inputs, found ${found.length}: put the context phase in its needs`;
    return { verdict: 'fail', summary: message, findings: [{ severity: 'blocking', message }] };
  }
  const [phase, context] = found[0]!;
  const result = checkContext(context);
  if (!result.ok) {
    const count = result.problems.length;
    return {
      verdict: 'revise',
      summary: `The context submitted to ${phase} has ${count} problem${count === 1 ? '' : 's'} the UI check refuses: correct every one and submit the whole context again.`,
      findings: result.problems.map((problem) => ({
        severity: 'blocking',
        message: `${problem.path === '' ? '(the context)' : problem.path}: ${problem.message}`,
      })),
    };
  }
  const { version } = result;
  const slots = Object.entries(version.variants).map(([id, brief]) => `${id} on "${brief.slot}"`);
  const summary = `V0: the baseline with ${version.rubric.length} rubric criteria and ${version.goals.length} goals; variants ${slots.join(', ')}.`;
  return { verdict: 'approve', findings: [], ...(version as unknown as Json), summary };
}

/** The `ui-baseline` step: reviews a submitted context; approved, its output is ParentVersion V0. */
export const uiBaselineStep: BuiltinStep = {
  name: 'ui-baseline',
  description:
    'Reviews a submitted UI context (baseline UI schema and tokens, goals, rubric, variant slots) with @baton/ui-schema: approved, its output is ParentVersion V0; otherwise revise, one finding per problem.',
  output: BASELINE_REVIEW_SCHEMA,
  run: (inputs, context) => ({ ok: true, output: reviewContext(inputs, context.needs) }),
};
