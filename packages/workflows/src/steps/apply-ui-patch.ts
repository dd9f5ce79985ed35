/**
 * The `apply-ui-patch` step (`kind: builtin, run: apply-ui-patch`): applies a variant agent's
 * patch to the parent version (V0) and answers as a reviewer — `{verdict: approve | revise,
 * findings}` — so it can be the reviewer of the variant phase (`reviews: variant-a`), exactly as
 * `validate-openapi` is the API's. A patch that does not apply goes back to its agent with one
 * blocking finding per problem (`ops[1].prop: "onclick" is not a prop …`), through the engine's
 * review loop; one that applies is approved, with the patched document and its diff against V0.
 *
 * A variant may change only its **slot**: the node V0 names for it (`variants[<variant id>].slot`)
 * and what lies inside it, plus nodes the patch itself adds. An op outside it is a finding too, so
 * two variants on different slots never change the same nodes and merge cleanly.
 */
import { applyPatch, diffUi, validatePatch, type UiPatch, type UiPatchOp } from '@baton/ui-schema';
import type { BuiltinInputs, BuiltinStep, JsonSchema, JsonValue } from '@baton/engine';
import {
  findNode,
  inputsWhere,
  isObject,
  parentVersionOf,
  subtreeIds,
  type ParentVersion,
} from './ui-versions.js';

type Json = { [key: string]: JsonValue };

interface Problem {
  readonly path: string;
  readonly message: string;
}

/** The ids an op changes: its `target`, or the `parent` it adds to. */
function opAddress(op: UiPatchOp): { key: 'target' | 'parent'; id: string } {
  return op.op === 'add' ? { key: 'parent', id: op.parent } : { key: 'target', id: op.target };
}

/** The ids of every node the ops bring in (`add` and `replace` nodes, their subtrees too). */
function introducedIds(patch: UiPatch): Set<string> {
  const ids = new Set<string>();
  for (const op of patch.ops)
    if (op.op === 'add' || op.op === 'replace') for (const id of subtreeIds(op.node)) ids.add(id);
  return ids;
}

/**
 * The ops of `patch` that reach outside `slot` of `version` (each a problem at its path). A slot
 * the document lacks is one problem (V0 was checked, so only a changed copy can get here).
 */
function opsOutsideSlot(version: ParentVersion, patch: UiPatch, slot: string): Problem[] {
  const node = findNode(version.uiSchema.root, slot);
  if (node === undefined) return [{ path: 'slot', message: `the parent version has no node "${slot}"` }];
  const inside = new Set([...subtreeIds(node), ...introducedIds(patch)]);
  const problems: Problem[] = [];
  patch.ops.forEach((op, index) => {
    const { key, id } = opAddress(op);
    if (!inside.has(id))
      problems.push({
        path: `ops[${index}].${key}`,
        message: `"${id}" is outside this variant's slot "${slot}": change only "${slot}" and the nodes inside it (${[...subtreeIds(node)].join(', ')})`,
      });
  });
  return problems;
}

/** What applying one variant's patch gave: the patched document and diff, or the problems. */
export type AppliedVariant =
  | { readonly ok: true; readonly patch: UiPatch; readonly uiSchema: JsonValue; readonly diff: JsonValue }
  | { readonly ok: false; readonly problems: readonly Problem[] };

/** Applies `patch` (the agent's output) for `variantId` to `version`, its slot enforced. */
export function applyVariant(version: ParentVersion, variantId: string, patch: JsonValue): AppliedVariant {
  const brief = version.variants[variantId];
  if (brief === undefined)
    return {
      ok: false,
      problems: [
        {
          path: '',
          message: `the parent version gives no slot for "${variantId}"; its variants are: ${Object.keys(version.variants).join(', ')}`,
        },
      ],
    };
  const checked = validatePatch(patch);
  if (!checked.ok) return { ok: false, problems: checked.problems };
  const outside = opsOutsideSlot(version, checked.value, brief.slot);
  if (outside.length > 0) return { ok: false, problems: outside };
  const applied = applyPatch(version.uiSchema, checked.value);
  if (!applied.ok) return { ok: false, problems: applied.problems };
  return {
    ok: true,
    patch: checked.value,
    uiSchema: applied.document as unknown as JsonValue,
    diff: diffUi(version.uiSchema, applied.document) as unknown as JsonValue,
  };
}

/** The patch among `inputs` and its phase (the variant id), or why there is none. */
export function patchOf(
  inputs: BuiltinInputs,
  order: readonly string[],
): { ok: true; variantId: string; patch: Json } | { ok: false; message: string } {
  const found = inputsWhere(inputs, order, (value) => isObject(value) && 'ops' in value);
  if (found.length !== 1)
    return {
      ok: false,
      message: `needs exactly one patch ({ops}: a variant phase's output) among its inputs, found ${found.length}`,
    };
  const [variantId, patch] = found[0]!;
  return { ok: true, variantId, patch };
}

/** The reviewer's answer for the patch among `inputs`. */
export function reviewPatch(inputs: BuiltinInputs, needs: readonly string[]): Json {
  const parent = parentVersionOf(inputs, needs);
  const found = patchOf(inputs, needs);
  if (!parent.ok || !found.ok) {
    const message = !parent.ok ? parent.message : (found as { message: string }).message;
    // A wiring mistake of the workflow, not the agent's: a finding it cannot fix, so `fail`.
    return { verdict: 'fail', summary: message, findings: [{ severity: 'blocking', message }] };
  }
  const { variantId } = found;
  const result = applyVariant(parent.version, variantId, found.patch);
  const slot = parent.version.variants[variantId]?.slot ?? '';
  if (!result.ok)
    return {
      verdict: 'revise',
      summary: `The patch of ${variantId} does not apply to ${parent.version.versionId} (${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}): fix every one and send the whole patch again.`,
      findings: result.problems.map((problem) => ({
        severity: 'blocking',
        message: problem.path === '' ? problem.message : `${problem.path}: ${problem.message}`,
      })),
      variantId,
      slot,
    };
  const summary = (result.diff as { summary: string }).summary;
  return {
    verdict: 'approve',
    summary: `The patch of ${variantId} applies to ${parent.version.versionId} within slot "${slot}": ${summary}.`,
    findings: [],
    variantId,
    slot,
    uiSchema: result.uiSchema,
    diff: result.diff,
  };
}

const OUTPUT: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['verdict', 'summary', 'findings'],
  properties: {
    verdict: { enum: ['approve', 'revise', 'fail'] },
    summary: { type: 'string', minLength: 1 },
    findings: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['severity', 'message'],
        properties: { severity: { const: 'blocking' }, message: { type: 'string', minLength: 1 } },
      },
    },
    variantId: { type: 'string' },
    slot: { type: 'string' },
    uiSchema: { type: 'object' },
    diff: { type: 'object' },
  },
};

/** The `apply-ui-patch` step: approves a variant's patch that applies within its slot, asks to revise the rest. */
export const applyUiPatchStep: BuiltinStep = {
  name: 'apply-ui-patch',
  description:
    "Applies a variant's UI patch to the parent version within its slot and answers as a reviewer: approve (with the patched UI schema and its diff), or revise with one blocking finding per problem.",
  output: OUTPUT,
  run: (inputs, context) => ({ ok: true, output: reviewPatch(inputs, context.needs) }),
};
