/**
 * Applying a patch to a document: ops in order, each checked against the document as the ops
 * before it left it; the first op that cannot apply stops the patch, and the problems say which
 * op and why. The result is validated in full before it is returned (limits, vocabulary, ids).
 * Pure: the input document and patch are never changed (the ops work on a validated copy).
 */
import type { z } from 'zod';
import { UiSchemaErrorCode, type UiProblem, type UiSchemaErrorCode as Code } from './errors.js';
import { duplicateIds, validateDocument, type UiDocument } from './document.js';
import { checkLimits } from './limits.js';
import { aOrAn, childKeyOf, childrenOf, SETTABLE_PROPS, type UiNode, type UiNodeType } from './nodes.js';
import { validatePatch, type UiPatchOp } from './patch.js';
import { walkNodes, type VisitedNode } from './tree.js';

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
  // The validated document is Zod's fresh copy: the ops may change it in place.
  const working = { ...checkedDocument.value };
  for (const [index, op] of checkedPatch.value.ops.entries()) {
    const path = `ops[${index}]`;
    const problems = applyOp(working, op, path);
    if (problems.length > 0) return refused(UiSchemaErrorCode.patchInvalid, problems);
    const breach = checkLimits(working, 'document');
    if (breach !== undefined) {
      return refused(
        breach.code,
        breach.problems.map((problem) => ({
          path,
          message: `after this op, ${problem.path}: ${problem.message}`,
        })),
      );
    }
  }
  const result = validateDocument(working, 'document');
  if (!result.ok) return result;
  return { ok: true, document: result.value };
}

/** Applies one op to `document` in place; returns its problems (none when it applied). */
function applyOp(document: { root: UiNode }, op: UiPatchOp, path: string): UiProblem[] {
  const nodes = walkNodes(document.root);
  const byId = new Map<string, VisitedNode>();
  for (const entry of nodes) if (entry.node.id !== undefined) byId.set(entry.node.id, entry);
  const find = (id: string, key: string): VisitedNode | UiProblem =>
    byId.get(id) ?? { path: `${path}.${key}`, message: unknownId(id, byId) };

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
      const clashes = duplicateIds(op.node, `${path}.node`, takenIds(byId));
      if (clashes.length > 0) return clashes;
      list.splice(at, 0, op.node);
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
      childList(target.parent)!.splice(target.index, 1);
      return [];
    }
    case 'replace': {
      const target = find(op.target, 'target');
      if ('message' in target) return [target];
      // The replaced subtree's ids are free again: the new node may reuse them.
      const freed = new Set(walkNodes(target.node).map((entry) => entry.node.id));
      const taken = new Map([...takenIds(byId)].filter(([id]) => !freed.has(id)));
      const clashes = duplicateIds(op.node, `${path}.node`, taken);
      if (clashes.length > 0) return clashes;
      if (target.parent === undefined) document.root = op.node;
      else childList(target.parent)!.splice(target.index, 1, op.node);
      return [];
    }
    case 'set':
      return setProp(find(op.target, 'target'), op, path);
  }
}

function setProp(
  target: VisitedNode | UiProblem,
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

function takenIds(byId: ReadonlyMap<string, VisitedNode>): Map<string, string> {
  return new Map([...byId].map(([id, entry]) => [id, `${entry.path}.id`]));
}

function unknownId(id: string, byId: ReadonlyMap<string, VisitedNode>): string {
  const ids = [...byId.keys()];
  if (ids.length === 0)
    return `no node has the id "${id}"; this document has no ids, so no node can be addressed`;
  const shown = ids.slice(0, IDS_SHOWN).join(', ');
  const more = ids.length > IDS_SHOWN ? ` and ${ids.length - IDS_SHOWN} more` : '';
  return `no node has the id "${id}"; the ids are: ${shown}${more}`;
}

function refused(code: Code, problems: readonly UiProblem[]): ApplyPatchResult {
  return { ok: false, code, problems };
}
