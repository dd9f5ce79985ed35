/**
 * The nodes of a document being patched, by id, kept up to date op by op: an op touches only the
 * subtree it adds, removes or replaces, so a patch costs its own size plus one walk of the
 * document, not a walk per op. Paths are worked out only for a problem's message.
 */
import type { UiProblem } from './errors.js';
import type { UiNode } from './nodes.js';
import { walkNodes } from './tree.js';

/** A node with an id, and the container holding it (undefined for the root). */
export interface Placed {
  readonly node: UiNode;
  readonly parent: UiNode | undefined;
}

export class IdIndex {
  readonly #byId = new Map<string, Placed>();

  constructor(root: UiNode) {
    this.add(root, undefined);
  }

  get(id: string): Placed | undefined {
    return this.#byId.get(id);
  }

  /** Every id, in the order the nodes joined (document order for the ones there from the start). */
  ids(): string[] {
    return [...this.#byId.keys()];
  }

  /** Records the ids of `subtree`, which now sits in `parent`. */
  add(subtree: UiNode, parent: UiNode | undefined): void {
    for (const entry of walkNodes(subtree)) {
      if (entry.node.id !== undefined)
        this.#byId.set(entry.node.id, { node: entry.node, parent: entry.parent ?? parent });
    }
  }

  /** Forgets the ids of `subtree`, which left the document. */
  drop(subtree: UiNode): void {
    for (const entry of walkNodes(subtree)) if (entry.node.id !== undefined) this.#byId.delete(entry.node.id);
  }

  /**
   * A problem for each id of `subtree` (about to join the document under `root`) that is already
   * used: in the document (except inside `leaving`, the subtree it replaces) or earlier in itself.
   */
  clashes(subtree: UiNode, subtreePath: string, root: UiNode, leaving?: UiNode): UiProblem[] {
    const freed = new Set(leaving === undefined ? [] : walkNodes(leaving).map((entry) => entry.node.id));
    return duplicateIds(subtree, subtreePath, (id) =>
      this.#byId.has(id) && !freed.has(id) ? pathOfId(root, id) : undefined,
    );
  }
}

/**
 * A problem for each id under `root` used a second time — in the tree itself, or already used
 * elsewhere as `usedAt` tells (the path of the other use, or undefined) — naming the other use.
 */
export function duplicateIds(
  root: UiNode,
  rootPath: string,
  usedAt: (id: string) => string | undefined = () => undefined,
): UiProblem[] {
  const seen = new Map<string, string>();
  const problems: UiProblem[] = [];
  for (const { node, path } of walkNodes(root, rootPath)) {
    if (node.id === undefined) continue;
    const first = seen.get(node.id) ?? usedAt(node.id);
    if (first === undefined) seen.set(node.id, `${path}.id`);
    else
      problems.push({
        path: `${path}.id`,
        message: `the id "${node.id}" is already used at ${first}; ids are unique in a document`,
      });
  }
  return problems;
}

function pathOfId(root: UiNode, id: string): string {
  const entry = walkNodes(root).find((visited) => visited.node.id === id);
  return `${entry?.path ?? 'root'}.id`;
}
