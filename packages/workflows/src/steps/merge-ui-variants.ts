/**
 * The `merge-ui-variants` step (`kind: builtin, run: merge-ui-variants`): phase E of the
 * `ui-variants` workflow. The variants a person approved (the variant outputs among its inputs: a
 * rejected one was skipped, `onReject: skip`, so it is absent) are merged into **ParentVersion
 * V1**, made from V0 (`parentVersionId`), with V0's tokens, goals, rubric and constraints.
 *
 * Deterministic: the patches are applied to V0 in the order of the phase's `needs`, each on the
 * result of the ones before. Two approved patches that change the same nodes — an op's target or
 * the parent it adds to, a removed or replaced subtree, an id both bring in — are a conflict: the
 * merge fails (`UI_MERGE_CONFLICT`) naming each pair of ops, rather than letting the later one win
 * silently. No approved variant fails it too (`NO_APPROVED_VARIANT`): there is nothing to make V1
 * from.
 */
import { applyPatch, diffUi, type UiDocument, type UiPatch, type UiPatchOp } from '@baton/ui-schema';
import type { BuiltinInputs, BuiltinResult, BuiltinStep, JsonValue } from '@baton/engine';
import {
  findNode,
  inputsWhere,
  isObject,
  listWords,
  MERGED_VERSION_SCHEMA,
  parentVersionOf,
  subtreeIds,
  VARIANT_KIND,
  type ParentVersion,
} from './ui-versions.js';

/** An approved variant as the merge reads it. */
interface Approved {
  readonly variantId: string;
  readonly slot: string;
  readonly patch: UiPatch;
  readonly score: number;
}

/** One node an op changes, and how the op reads in a message. */
interface Touch {
  readonly id: string;
  readonly op: string;
}

function describeOp(variantId: string, index: number, op: UiPatchOp): string {
  switch (op.op) {
    case 'add':
      return `${variantId} ops[${index}] (add to "${op.parent}")`;
    case 'set':
      return `${variantId} ops[${index}] (set "${op.prop}" of "${op.target}")`;
    default:
      return `${variantId} ops[${index}] (${op.op} "${op.target}")`;
  }
}

/** The node ids each op of `patch` changes in `base`: what two patches must not share. */
function touches(base: UiDocument, variant: Approved): Touch[] {
  const found: Touch[] = [];
  variant.patch.ops.forEach((op, index) => {
    const described = describeOp(variant.variantId, index, op);
    const ids =
      op.op === 'add'
        ? [op.parent, ...subtreeIds(op.node)]
        : op.op === 'set'
          ? [op.target]
          : [
              ...(findNode(base.root, op.target) === undefined
                ? [op.target]
                : subtreeIds(findNode(base.root, op.target)!)),
              ...(op.op === 'replace' ? subtreeIds(op.node) : []),
            ];
    for (const id of new Set(ids)) found.push({ id, op: described });
  });
  return found;
}

/** The pairs of ops of different variants that change the same node, one line each. */
function conflicts(base: UiDocument, variants: readonly Approved[]): string[] {
  const lines: string[] = [];
  const earlier: Touch[] = [];
  for (const variant of variants) {
    const mine = touches(base, variant);
    for (const touch of mine)
      for (const other of earlier)
        if (other.id === touch.id) lines.push(`${other.op} and ${touch.op} both change "${touch.id}"`);
    earlier.push(...mine);
  }
  return [...new Set(lines)];
}

function nextVersionId(versionId: string): string {
  const numbered = /^V(\d+)$/.exec(versionId);
  return numbered === null ? `${versionId}.1` : `V${Number(numbered[1]) + 1}`;
}

/** V1 from V0 and the approved variants among `inputs`, or why there is none. */
export function mergeVariants(inputs: BuiltinInputs, needs: readonly string[]): BuiltinResult {
  const parent = parentVersionOf(inputs, needs);
  if (!parent.ok) return { ok: false, code: 'INPUT_SCHEMA', message: parent.message };
  const v0: ParentVersion = parent.version;
  const approved: Approved[] = inputsWhere(
    inputs,
    needs,
    (value) => isObject(value) && value.kind === VARIANT_KIND,
  ).map(([, value]) => ({
    variantId: value.variantId as string,
    slot: value.slot as string,
    patch: value.patch as unknown as UiPatch,
    score: value.score as number,
  }));
  const absent = needs.filter((id) => !Object.hasOwn(inputs, id));
  const excluded = Object.keys(v0.variants).filter((id) => !approved.some((a) => a.variantId === id));
  if (approved.length === 0)
    return {
      ok: false,
      code: 'NO_APPROVED_VARIANT',
      message: `no approved variant to merge into ${nextVersionId(v0.versionId)}: ${absent.length === 0 ? 'none of the inputs is a variant' : `${listWords(absent)} ${absent.length === 1 ? 'was' : 'were'} rejected or skipped`}. To try again, run a variant again (\`baton rewind RUN ${excluded[0] ?? 'VARIANT'}\`) and approve it at its review.`,
      retryable: false,
    };
  const clashes = conflicts(v0.uiSchema, approved);
  if (clashes.length > 0)
    return {
      ok: false,
      code: 'UI_MERGE_CONFLICT',
      message: `the approved variants conflict, so they cannot be merged into one version:\n${clashes.map((line) => `  ${line}`).join('\n')}\nReject one of them (rewind its variant and reject it at its review), or give the variants different slots.`,
      retryable: false,
    };
  let document: UiDocument = v0.uiSchema;
  for (const variant of approved) {
    const applied = applyPatch(document, variant.patch);
    if (!applied.ok)
      return {
        ok: false,
        code: 'UI_MERGE_CONFLICT',
        message: `the patch of ${variant.variantId} does not apply after ${listWords(approved.slice(0, approved.indexOf(variant)).map((a) => a.variantId)) || v0.versionId}: ${applied.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
        retryable: false,
      };
    document = applied.document;
  }
  const versionId = nextVersionId(v0.versionId);
  const diff = diffUi(v0.uiSchema, document);
  const summary = `${versionId} from ${v0.versionId}: merged ${listWords(approved.map((a) => `${a.variantId} (slot "${a.slot}")`))} (${diff.summary})${excluded.length === 0 ? '' : `; excluded ${listWords(excluded)}`}.`;
  return {
    ok: true,
    output: {
      kind: v0.kind,
      versionId,
      parentVersionId: v0.versionId,
      uiSchema: document as unknown as JsonValue,
      tokens: document.tokens as unknown as JsonValue,
      goals: [...v0.goals],
      rubric: v0.rubric as unknown as JsonValue,
      constraints: [...v0.constraints],
      approved: approved as unknown as JsonValue,
      excluded,
      diff: diff as unknown as JsonValue,
      summary,
    },
  };
}

/** The `merge-ui-variants` step: the approved variants merged, in order, into the next parent version. */
export const mergeUiVariantsStep: BuiltinStep = {
  name: 'merge-ui-variants',
  description:
    'Merges the approved UI variants (patches applied in the order of its needs) into the next parent version (V1, linked to V0); fails naming the ops when two conflict, or when none was approved.',
  output: MERGED_VERSION_SCHEMA,
  run: (inputs, context) => mergeVariants(inputs, context.needs),
};
