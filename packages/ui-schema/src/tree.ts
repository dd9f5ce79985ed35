/**
 * Walking a validated node tree without recursion, in document order (a node before its
 * children, children first to last). Validated trees are shallow, but the walk is shared by
 * code that must never overflow whatever it is given.
 */
import { childKeyOf, childrenOf, type UiNode } from './nodes.js';
import { childPath } from './json-path.js';

/** One node as the walk meets it. */
export interface VisitedNode {
  readonly node: UiNode;
  /** JSON path from the document: `root`, `root.children[1].items[0]`. */
  readonly path: string;
  /** The container holding it; undefined for the root. */
  readonly parent: UiNode | undefined;
  /** Its position in the parent's `children` or `items` (0 for the root). */
  readonly index: number;
  /** 1 for the root. */
  readonly depth: number;
}

/** Every node under (and including) `root`, in document order. */
export function walkNodes(root: UiNode, rootPath = 'root'): VisitedNode[] {
  const visited: VisitedNode[] = [];
  const stack: VisitedNode[] = [{ node: root, path: rootPath, parent: undefined, index: 0, depth: 1 }];
  while (stack.length > 0) {
    const entry = stack.pop()!;
    visited.push(entry);
    const children = childrenOf(entry.node);
    if (children === undefined) continue;
    const listPath = childPath(entry.path, childKeyOf(entry.node.type)!);
    for (let index = children.length - 1; index >= 0; index -= 1) {
      stack.push({
        node: children[index]!,
        path: childPath(listPath, index),
        parent: entry.node,
        index,
        depth: entry.depth + 1,
      });
    }
  }
  return visited;
}
