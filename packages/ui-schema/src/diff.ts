/**
 * The structural diff of two UI documents, for a person comparing a variant with its baseline.
 *
 * Nodes are matched by id where they have one; a node without an id is matched by its place: its
 * parent's key, its type and how many siblings of that type without an id come before it
 * (`pricing-card/text[1]`; the root without an id is `/`). Then:
 *   removed  a node of `before` with no match (only the topmost of a removed subtree is listed)
 *   added    a node of `after` with no match (likewise the topmost)
 *   moved    a matched node under another parent, or out of order among the siblings that stayed
 *            (the fewest such nodes: the longest run that kept its order stays put)
 *   changed  one prop of a matched node that differs (`null` stands for a prop not given)
 *   token    one design token that differs
 * Changes come in a stable order: removed (in `before`'s order), then added, moved and changed
 * (in `after`'s order, props by name), then tokens by name.
 */
import type { UiDocument } from './document.js';
import { childKeyOf, type UiNode, type UiNodeType } from './nodes.js';
import type { UiPropValue } from './patch.js';
import { walkNodes } from './tree.js';

interface NodeChange {
  /** The node's id, or its place (`pricing-card/text[1]`) when it has none. */
  readonly key: string;
  readonly id?: string;
  readonly type: UiNodeType;
}
/** One difference between two documents. */
export type UiChange =
  | (NodeChange & { readonly kind: 'added'; readonly path: string })
  | (NodeChange & { readonly kind: 'removed'; readonly path: string })
  | (NodeChange & { readonly kind: 'moved'; readonly from: string; readonly to: string })
  | (NodeChange & {
      readonly kind: 'changed';
      readonly path: string;
      readonly prop: string;
      readonly before: UiPropValue;
      readonly after: UiPropValue;
    })
  | {
      readonly kind: 'token';
      /** `colors.primary`, `spacing.md`, `font.family`… */
      readonly token: string;
      readonly before: UiPropValue;
      readonly after: UiPropValue;
    };

/** The changes, and a one-line summary such as `2 added, 1 changed` (`no changes` when equal). */
export interface UiDiff {
  readonly changes: readonly UiChange[];
  readonly summary: string;
}

interface Keyed {
  readonly key: string;
  readonly node: UiNode;
  readonly path: string;
  /** The parent's key; undefined for the root. */
  readonly parentKey: string | undefined;
  /** Keys of the children, in order (empty for a leaf). */
  readonly childKeys: string[];
}

/** The changes that turn `before` into `after` (both validated documents). Never changes either. */
export function diffUi(before: UiDocument, after: UiDocument): UiDiff {
  const old = keyNodes(before.root);
  const now = keyNodes(after.root);
  const changes: UiChange[] = [];
  for (const entry of old.values()) {
    if (!now.has(entry.key) && isTopmost(entry, now))
      changes.push({ kind: 'removed', ...describe(entry), path: entry.path });
  }
  const moved = movedKeys(old, now);
  for (const entry of now.values()) {
    const previous = old.get(entry.key);
    if (previous === undefined) {
      if (isTopmost(entry, old)) changes.push({ kind: 'added', ...describe(entry), path: entry.path });
      continue;
    }
    if (moved.has(entry.key))
      changes.push({ kind: 'moved', ...describe(entry), from: previous.path, to: entry.path });
    for (const prop of changedProps(previous.node, entry.node)) {
      changes.push({
        kind: 'changed',
        ...describe(entry),
        path: entry.path,
        prop,
        before: propOf(previous.node, prop),
        after: propOf(entry.node, prop),
      });
    }
  }
  changes.push(...tokenChanges(before.tokens, after.tokens));
  return { changes, summary: summarize(changes) };
}

/** `2 added, 1 removed, 1 moved, 3 changed, 1 token changed`; `changed` counts nodes, not props. */
function summarize(changes: readonly UiChange[]): string {
  const count = (kind: UiChange['kind']) => changes.filter((change) => change.kind === kind).length;
  const changedNodes = new Set(changes.flatMap((change) => (change.kind === 'changed' ? [change.key] : [])))
    .size;
  const tokens = count('token');
  const parts = [
    [count('added'), 'added'],
    [count('removed'), 'removed'],
    [count('moved'), 'moved'],
    [changedNodes, 'changed'],
    [tokens, tokens === 1 ? 'token changed' : 'tokens changed'],
  ] as const;
  const said = parts.filter(([n]) => n > 0).map(([n, word]) => `${n} ${word}`);
  return said.length === 0 ? 'no changes' : said.join(', ');
}

/** Every node of the tree by key, in document order. */
function keyNodes(root: UiNode): Map<string, Keyed> {
  const keyed = new Map<string, Keyed>();
  const keyOfNode = new Map<UiNode, string>();
  const anonymousCounts = new Map<UiNode, Map<UiNodeType, number>>();
  for (const { node, path, parent } of walkNodes(root)) {
    const parentKey = parent === undefined ? undefined : keyOfNode.get(parent)!;
    let key: string;
    if (node.id !== undefined) key = node.id;
    else if (parent === undefined) key = '/';
    else {
      const counts = anonymousCounts.get(parent) ?? new Map<UiNodeType, number>();
      anonymousCounts.set(parent, counts);
      const n = counts.get(node.type) ?? 0;
      counts.set(node.type, n + 1);
      key = `${parentKey === '/' ? '' : parentKey}/${node.type}[${n}]`;
    }
    keyOfNode.set(node, key);
    keyed.set(key, { key, node, path, parentKey, childKeys: [] });
    if (parentKey !== undefined) keyed.get(parentKey)!.childKeys.push(key);
  }
  return keyed;
}

/** True when `entry`'s parent is matched in `other` (so `entry` heads its added or removed subtree). */
function isTopmost(entry: Keyed, other: ReadonlyMap<string, Keyed>): boolean {
  return entry.parentKey === undefined || other.has(entry.parentKey);
}

/**
 * Matched nodes that moved: under another parent, or — among the siblings that stayed under the
 * same parent — outside the longest run that kept its order.
 */
function movedKeys(old: ReadonlyMap<string, Keyed>, now: ReadonlyMap<string, Keyed>): Set<string> {
  const moved = new Set<string>();
  for (const entry of now.values()) {
    const previous = old.get(entry.key);
    if (previous !== undefined && previous.parentKey !== entry.parentKey) moved.add(entry.key);
  }
  for (const parent of now.values()) {
    const previousParent = old.get(parent.key);
    if (previousParent === undefined) continue;
    const stayed = (key: string) =>
      old.get(key)?.parentKey === parent.key && now.get(key)?.parentKey === parent.key;
    const beforeOrder = new Map(previousParent.childKeys.filter(stayed).map((key, index) => [key, index]));
    const afterKeys = parent.childKeys.filter(stayed);
    const kept = longestIncreasingRun(afterKeys.map((key) => beforeOrder.get(key)!));
    afterKeys.forEach((key, index) => {
      if (!kept.has(index)) moved.add(key);
    });
  }
  return moved;
}

/** Indexes of one longest strictly increasing subsequence of `values` (patience sorting). */
function longestIncreasingRun(values: readonly number[]): Set<number> {
  const tails: number[] = []; // tails[k]: index of the smallest tail of a run of length k+1
  const previous: number[] = new Array<number>(values.length).fill(-1);
  values.forEach((value, index) => {
    let low = 0;
    let high = tails.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (values[tails[middle]!]! < value) low = middle + 1;
      else high = middle;
    }
    if (low > 0) previous[index] = tails[low - 1]!;
    tails[low] = index;
  });
  const kept = new Set<number>();
  for (let index = tails.length === 0 ? -1 : tails[tails.length - 1]!; index !== -1; index = previous[index]!)
    kept.add(index);
  return kept;
}

/** Props (other than the child list) whose values differ, `type` first, then by name. */
function changedProps(before: UiNode, after: UiNode): string[] {
  const skip = new Set<string>(['id', childKeyOf(before.type) ?? '', childKeyOf(after.type) ?? '']);
  const props = new Set([...Object.keys(before), ...Object.keys(after)].filter((prop) => !skip.has(prop)));
  return [...props]
    .filter((prop) => propOf(before, prop) !== propOf(after, prop))
    .sort((a, b) => (a === 'type' ? -1 : b === 'type' ? 1 : a < b ? -1 : a > b ? 1 : 0));
}

function propOf(node: UiNode, prop: string): UiPropValue {
  const value = (node as unknown as Record<string, unknown>)[prop];
  return value === undefined ? null : (value as UiPropValue);
}

function describe(entry: Keyed): NodeChange {
  return {
    key: entry.key,
    ...(entry.node.id === undefined ? {} : { id: entry.node.id }),
    type: entry.node.type,
  };
}

function tokenChanges(before: UiDocument['tokens'], after: UiDocument['tokens']): UiChange[] {
  const flat = (tokens: UiDocument['tokens']) =>
    new Map(
      Object.entries(tokens).flatMap(([group, values]) =>
        Object.entries(values).map(([name, value]) => [`${group}.${name}`, value as UiPropValue]),
      ),
    );
  const old = flat(before);
  const now = flat(after);
  const names = [...new Set([...old.keys(), ...now.keys()])].sort();
  return names
    .filter((token) => old.get(token) !== now.get(token))
    .map((token) => ({
      kind: 'token' as const,
      token,
      before: old.get(token) ?? null,
      after: now.get(token) ?? null,
    }));
}
