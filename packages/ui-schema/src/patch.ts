/**
 * A patch: the only way a variant changes a UI document. Ops address nodes by id:
 *
 *   add      { op: 'add', parent, index?, node }   insert `node` into the container `parent`
 *                                                  (at `index`, else last)
 *   remove   { op: 'remove', target }              remove the node `target` (not the root)
 *   replace  { op: 'replace', target, node }       put `node` in the place of `target`
 *   set      { op: 'set', target, prop, value }    set one prop of `target`; `null` removes an
 *                                                  optional prop
 *
 * `set` may change only the props its component allows (`SETTABLE_PROPS`), never `type`, `id`,
 * `children` or `items`.
 */
import { z } from 'zod';
import { UiSchemaErrorCode, type UiResult } from './errors.js';
import { checkLimits, UI_LIMITS } from './limits.js';
import { NodeIdSchema, SETTABLE_PROP_NAMES, UiNodeSchema, type UiNode } from './nodes.js';
import { problemsOf } from './problems.js';

/** A value `set` may give a prop (`null` removes an optional prop). */
export type UiPropValue = string | number | boolean | null;

export type UiPatchOp =
  | { readonly op: 'add'; readonly parent: string; readonly index?: number; readonly node: UiNode }
  | { readonly op: 'remove'; readonly target: string }
  | { readonly op: 'replace'; readonly target: string; readonly node: UiNode }
  | { readonly op: 'set'; readonly target: string; readonly prop: string; readonly value: UiPropValue };

/** A list of ops, applied in order; each sees the document the ones before it left. */
export interface UiPatch {
  readonly ops: readonly UiPatchOp[];
}

const PropSchema = z.enum(SETTABLE_PROP_NAMES as [string, ...string[]], {
  error: `a prop "set" can change: one of ${SETTABLE_PROP_NAMES.join(', ')} (each component allows its own; children and items change through add, remove and replace)`,
});

const UiPatchOpSchema = z.discriminatedUnion(
  'op',
  [
    z.strictObject({
      op: z.literal('add'),
      parent: NodeIdSchema,
      index: z.number().int().min(0).optional(),
      node: UiNodeSchema,
    }),
    z.strictObject({ op: z.literal('remove'), target: NodeIdSchema }),
    z.strictObject({ op: z.literal('replace'), target: NodeIdSchema, node: UiNodeSchema }),
    z.strictObject({
      op: z.literal('set'),
      target: NodeIdSchema,
      prop: PropSchema,
      value: z.union([z.string(), z.number(), z.boolean(), z.null()]),
    }),
  ],
  { error: 'an op is one of: add, remove, replace, set (its "op" field)' },
);

export const UiPatchSchema = z.strictObject({
  ops: z.array(UiPatchOpSchema).max(UI_LIMITS.maxPatchOps, {
    error: `at most ${UI_LIMITS.maxPatchOps} ops in one patch`,
  }),
});

/**
 * Checks that `input` is a well-formed patch (limits first, then the shape of every op). Whether
 * its ids exist and its props fit their components is for {@link applyPatch}, which knows the
 * document. Never throws, never changes `input`.
 */
export function validatePatch(input: unknown): UiResult<UiPatch> {
  const breach = checkLimits(input);
  if (breach !== undefined) return { ok: false, code: breach.code, problems: breach.problems };
  const parsed = UiPatchSchema.safeParse(input);
  if (!parsed.success)
    return { ok: false, code: UiSchemaErrorCode.patchInvalid, problems: problemsOf(parsed.error, input) };
  return { ok: true, value: parsed.data };
}
