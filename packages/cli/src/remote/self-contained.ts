/**
 * A workflow file made self-contained for a server: every `fixtures:` path (the workflow's, a
 * phase's, a map's inner phases') replaced by that file's content inline, as JSON. A server never
 * reads its own disk for a definition it is sent.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';

type Node = Record<string, unknown>;

export async function selfContainedWorkflow(file: string): Promise<string> {
  const doc = parse(await readFile(file, 'utf8')) as Node;
  const dir = path.dirname(file);
  const cache = new Map<string, unknown>();
  const inline = async (node: Node): Promise<void> => {
    const value = node.fixtures;
    if (typeof value === 'string') {
      let content = cache.get(value);
      if (content === undefined) {
        content = parse(await readFile(path.resolve(dir, value), 'utf8')) as unknown;
        cache.set(value, content);
      }
      node.fixtures = content;
    }
  };
  await inline(doc);
  const phases = Array.isArray(doc.phases) ? (doc.phases as Node[]) : [];
  for (const phase of phases) {
    await inline(phase);
    const map = phase.map as Node | undefined;
    for (const inner of Array.isArray(map?.phases) ? (map.phases as Node[]) : []) await inline(inner);
  }
  return JSON.stringify(doc);
}
