/**
 * The `ui-variant` step (`kind: builtin, run: ui-variant`): one variant as a person reviews it at
 * its gate — seed 004's `PhaseOutput = {variantId, uiSchema, diff, rubricResults}`, plus the patch
 * (what a merge applies), the slot, the parent version it patches and the weighted score.
 *
 * It reads the parent version (V0), the variant's patch (its phase id is the variant id) and the
 * evaluator's rubric results (`{rubricResults: [{criterion, score, pass, reason}]}`), applies the
 * patch again (deterministic: the reviewer approved it) and lines the results up with the rubric:
 * one per criterion in the rubric's order, with its weight. A criterion the evaluator left out is
 * shown as not evaluated (failed, score 0) rather than dropped; one it invented is left out and
 * named in the summary. The evaluator's phase may be missing (skipped): every criterion is then
 * not evaluated, for the person to see.
 */
import type { BuiltinInputs, BuiltinResult, BuiltinStep, JsonValue } from '@baton/engine';
import { applyVariant, patchOf } from './apply-ui-patch.js';
import {
  inputsWhere,
  isObject,
  listWords,
  MAX_SCORE,
  parentVersionOf,
  VARIANT_KIND,
  VARIANT_OUTPUT_SCHEMA,
  type RubricCriterion,
  type RubricResult,
} from './ui-versions.js';

/** A rubric result with the criterion's weight. */
export interface WeightedResult extends RubricResult {
  readonly weight: number;
}

/** The evaluator's results lined up with `rubric`, and the criteria it named that the rubric lacks. */
export function alignRubricResults(
  rubric: readonly RubricCriterion[],
  evaluated: readonly JsonValue[] | undefined,
): { results: WeightedResult[]; unknown: string[] } {
  const byCriterion = new Map<string, { score: number; pass: boolean; reason: string }>();
  for (const item of evaluated ?? []) {
    if (!isObject(item) || typeof item.criterion !== 'string' || byCriterion.has(item.criterion)) continue;
    const score = typeof item.score === 'number' ? Math.min(MAX_SCORE, Math.max(0, item.score)) : 0;
    byCriterion.set(item.criterion, {
      score,
      pass: item.pass === true,
      reason: typeof item.reason === 'string' ? item.reason : '',
    });
  }
  const results = rubric.map((criterion) => {
    const found = byCriterion.get(criterion.id);
    return found === undefined
      ? {
          criterion: criterion.id,
          weight: criterion.weight,
          score: 0,
          pass: false,
          reason:
            evaluated === undefined
              ? 'not evaluated: the evaluation did not run'
              : 'not evaluated: the evaluator gave no result for this criterion',
        }
      : { criterion: criterion.id, weight: criterion.weight, ...found };
  });
  const known = new Set(rubric.map((criterion) => criterion.id));
  return { results, unknown: [...byCriterion.keys()].filter((id) => !known.has(id)) };
}

/** Σ weight·score / Σ weight, to two decimals (0 for an empty rubric). */
export function weightedScore(results: readonly WeightedResult[]): number {
  const total = results.reduce((sum, result) => sum + result.weight, 0);
  if (total === 0) return 0;
  const score = results.reduce((sum, result) => sum + result.weight * result.score, 0) / total;
  return Math.round(score * 100) / 100;
}

/** The variant output for the inputs, or why it cannot be made. */
export function buildVariant(inputs: BuiltinInputs, needs: readonly string[]): BuiltinResult {
  const parent = parentVersionOf(inputs, needs);
  if (!parent.ok) return { ok: false, code: 'INPUT_SCHEMA', message: parent.message };
  const found = patchOf(inputs, needs);
  if (!found.ok) return { ok: false, code: 'INPUT_SCHEMA', message: found.message };
  const { version } = parent;
  const { variantId } = found;
  const applied = applyVariant(version, variantId, found.patch);
  if (!applied.ok)
    return {
      ok: false,
      code: 'INPUT_SCHEMA',
      message: `the patch of ${variantId} does not apply to ${version.versionId} (give the variant phase an apply-ui-patch reviewer): ${applied.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
    };
  const evaluations = inputsWhere(
    inputs,
    needs,
    (value) => isObject(value) && Array.isArray(value.rubricResults),
  );
  const evaluated = evaluations[0]?.[1].rubricResults as JsonValue[] | undefined;
  const { results, unknown } = alignRubricResults(version.rubric, evaluated);
  const score = weightedScore(results);
  const passed = results.every((result) => result.pass);
  const failing = results.filter((result) => !result.pass).map((result) => result.criterion);
  const diffSummary = (applied.diff as { summary: string }).summary;
  const summary = [
    `${variantId} changes slot "${version.variants[variantId]!.slot}" (${diffSummary});`,
    `rubric score ${score}/${MAX_SCORE},`,
    passed ? 'every criterion passes.' : `not passing: ${listWords(failing)}.`,
    unknown.length === 0
      ? ''
      : `The evaluator also judged ${listWords(unknown)}, which the rubric does not have (left out).`,
  ]
    .filter((part) => part !== '')
    .join(' ');
  return {
    ok: true,
    output: {
      kind: VARIANT_KIND,
      variantId,
      slot: version.variants[variantId]!.slot,
      parentVersionId: version.versionId,
      patch: applied.patch as unknown as JsonValue,
      uiSchema: applied.uiSchema,
      diff: applied.diff,
      rubricResults: results as unknown as JsonValue,
      score,
      passed,
      summary,
    },
  };
}

/** The `ui-variant` step: a variant's patched UI schema, diff and rubric results, for its gate. */
export const uiVariantStep: BuiltinStep = {
  name: 'ui-variant',
  description:
    "One UI variant for a person's review: its patch applied to the parent version, the diff against it, and the evaluator's rubric results lined up with the rubric and weighted.",
  output: VARIANT_OUTPUT_SCHEMA,
  run: (inputs, context) => buildVariant(inputs, context.needs),
};
