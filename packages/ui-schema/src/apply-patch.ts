/**
 * Applying a patch to a document: ops in order, each checked against the document as the ops
 * before it left it; the first op that cannot apply stops the patch, and the problems say which
 * op and why. The result is validated in full before it is returned (limits, vocabulary, ids);
 * a result over the limits is refused naming the op from which it was over them.
 * Pure: the input document and patch are never changed (the ops work on a validated copy).
 */
import type { z } from 'zod';
import { UiSchemaErrorCode, type UiProblem, type UiSchemaErrorCode as Code } from './errors.js';
import { validateDocument, type UiDocument } from './document.js';
import { IdIndex, type Placed } from './id-index.js';
import { checkLimits, type LimitBreach } from './limits.js';
import { aOrAn, childKeyOf, childrenOf, SETTABLE_PROPS, type UiNode, type UiNodeType } from './nodes.js';
import { validatePatch, type UiPatchOp } from './patch.js';

/** The patched document, or why the patch was refused. */
export type ApplyPatchResult =
  | { readonly ok: true; readonly document: UiDocument }
  | { readonly ok: false; readonly code: Code; readonly problems: readonly UiProblem[] };

/** How many ids a problem about an unknown id lists. */
const IDS_SHOWN = 30;

type MutableNode = Record<string, unknown> & { readonly type: UiNodeType; readonly id?: string };

/**
 * Applies `patch` (checked with `validatePatch` first) to `document` (validated again, so a
 * caller may pass one it did not check). Returns the new document, or problems with paths such as
 * `ops[2].target` — an unknown id, an id the document already uses, a prop the component does not
 * allow, a value the prop does not accept, a result over the limits. Never throws.
 */
export function applyPatch(document: UiDocument, patch: unknown): ApplyPatchResult {
  const checkedDocument = validateDocument(document, 'document');
  if (!checkedDocument.ok) return checkedDocument;
  const checkedPatch = validatePatch(patch);
  if (!checkedPatch.ok) return checkedPatch;
  const { ops } = checkedPatch.value;
  // The validated document is Zod's fresh copy: the ops may change it in place (the caller's
  // `document` stays as it was, for a replay).
  const working = { ...checkedDocument.value };
  const index = new IdIndex(working.root);
  for (const [at, op] of ops.entries()) {
    const problems = applyOp(working, op, `ops[${at}]`, index);
    if (problems.length > 0) return refused(UiSchemaErrorCode.patchInvalid, problems);
  }
  // The limits are checked on the result, once. Between ops the tree stays bounded (each op
  // brings at most the patch's own nodes, which kept the limits) and is only walked iteratively.
  const result = validateDocument(working, 'document');
  if (result.ok) return { ok: true, document: result.value };
  if (result.code === UiSchemaErrorCode.invalid) return result;
  return blameOp(document, patch) ?? result;
}

/**
 * The refusal of a patch whose result is over the limits, naming the op from which the document
 * stayed over them to the end. Replays the ops on fresh copies of the document and the patch (the
 * first pass changed the nodes it inserted): the work is only done on refusal.
 */
function blameOp(document: UiDocument, patch: unknown): ApplyPatchResult | undefined {
  const replay = validateDocument(document, 'document');
  const replayPatch = validatePatch(patch);
  if (!replay.ok || !replayPatch.ok) return undefined;
  const { ops } = replayPatch.value;
  const working = { ...replay.value };
  const index = new IdIndex(working.root);
  let blamed: { readonly at: number; readonly breach: LimitBreach } | undefined;
  for (const [at, op] of ops.entries()) {
    applyOp(working, op, `ops[${at}]`, index);
    const breach = checkLimits(working, 'document');
    if (breach === undefined) blamed = undefined;
    else blamed ??= { at, breach };
  }
  if (blamed === undefined) return undefined;
  const path = `ops[${blamed.at}]`;
  return refused(
    blamed.breach.code,
    blamed.breach.problems.map((problem) => ({
      path,
      message: `after this op, ${problem.path}: ${problem.message}`,
    })),
  );
}

/** Applies one op to `document` in place, and to `index`; returns its problems (none when it applied). */
function applyOp(document: { root: UiNode }, op: UiPatchOp, path: string, index: IdIndex): UiProblem[] {
  const find = (id: string, key: string): Placed | UiProblem =>
    index.get(id) ?? { path: `${path}.${key}`, message: unknownId(id, index.ids()) };

  switch (op.op) {
    case 'add': {
      const parent = find(op.parent, 'parent');
      if ('message' in parent) return [parent];
      const list = childList(parent.node);
      if (list === undefined)
        return [
          {
            path: `${path}.parent`,
            message: `"${op.parent}" is ${aOrAn(parent.node.type)}, which holds no nodes; add to a stack, card or list`,
          },
        ];
      const at = op.index ?? list.length;
      if (at > list.length)
        return [
          {
            path: `${path}.index`,
            message: `"${op.parent}" holds ${list.length} nodes: index must be 0 to ${list.length} (or left out to add last)`,
          },
        ];
      const clashes = index.clashes(op.node, `${path}.node`, document.root);
      if (clashes.length > 0) return clashes;
      list.splice(at, 0, op.node);
      index.add(op.node, parent.node);
      return [];
    }
    case 'remove': {
      const target = find(op.target, 'target');
      if ('message' in target) return [target];
      if (target.parent === undefined)
        return [
          {
            path: `${path}.target`,
            message: `"${op.target}" is the root, which cannot be removed; replace it instead`,
          },
        ];
      const list = childList(target.parent)!;
      list.splice(list.indexOf(target.node), 1);
      index.drop(target.node);
      return [];
    }
    case 'replace': {
      const target = find(op.target, 'target');
      if ('message' in target) return [target];
      // The replaced subtree's ids are free again: the new node may reuse them.
      const clashes = index.clashes(op.node, `${path}.node`, document.root, target.node);
      if (clashes.length > 0) return clashes;
      if (target.parent === undefined) document.root = op.node;
      else {
        const list = childList(target.parent)!;
        list.splice(list.indexOf(target.node), 1, op.node);
      }
      index.drop(target.node);
      index.add(op.node, target.parent);
      return [];
    }
    case 'set':
      return setProp(find(op.target, 'target'), op, path);
  }
}

function setProp(
  target: Placed | UiProblem,
  op: Extract<UiPatchOp, { op: 'set' }>,
  path: string,
): UiProblem[] {
  if ('message' in target) return [target];
  const { type } = target.node;
  const props: Readonly<Record<string, z.ZodType>> = SETTABLE_PROPS[type];
  const schema = props[op.prop];
  if (schema === undefined) {
    const allowed = Object.keys(props);
    return [
      {
        path: `${path}.prop`,
        message: `"${op.prop}" is not a prop "set" can change on ${aOrAn(type)}; ${aOrAn(type)}'s are: ${allowed.length === 0 ? '(none)' : allowed.join(', ')}`,
      },
    ];
  }
  const node = target.node as unknown as MutableNode;
  if (op.value === null) {
    if (!schema.safeParse(undefined).success)
      return [
        {
          path: `${path}.value`,
          message: `"${op.prop}" is required on ${aOrAn(type)}: it cannot be removed (null); give a value`,
        },
      ];
    delete node[op.prop];
    return [];
  }
  const parsed = schema.safeParse(op.value);
  if (!parsed.success) {
    const reasons = parsed.error.issues.map((issue) => issue.message).join('; ');
    return [{ path: `${path}.value`, message: `not a valid "${op.prop}" for ${aOrAn(type)}: ${reasons}` }];
  }
  node[op.prop] = op.value;
  return [];
}

/** The container's own (mutable) list of child nodes. */
function childList(node: UiNode): UiNode[] | undefined {
  const key = childKeyOf(node.type);
  return key === undefined ? undefined : (childrenOf(node) as UiNode[]);
}

function unknownId(id: string, ids: readonly string[]): string {
  if (ids.length === 0)
    return `no node has the id "${id}"; this document has no ids, so no node can be addressed`;
  const shown = ids.slice(0, IDS_SHOWN).join(', ');
  const more = ids.length > IDS_SHOWN ? ` and ${ids.length - IDS_SHOWN} more` : '';
  return `no node has the id "${id}"; the ids are: ${shown}${more}`;
}

function refused(code: Code, problems: readonly UiProblem[]): ApplyPatchResult {
  return { ok: false, code, problems };
}
