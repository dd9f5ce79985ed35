/**
 * A workflow's YAML text made self-contained: every `fixtures:` that names a file — the
 * workflow's, a phase's, a map template's (`phase:`, `phases:`) — replaced by that file's content,
 * written inline as the same mapping (see the engine's `inline-fixtures.ts`: inline fixtures are
 * what a fixtures file holds). The text is edited as a YAML document, so the definition keeps its
 * comments and layout; a file named twice is read once.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { isMap, isSeq, parseDocument, type Node } from 'yaml';

/**
 * `text` with its fixtures files (read relative to `baseDir`) inline, and `header` (lines, each
 * written as a comment) above the workflow's own leading comment. Assumes the workflow loaded: a
 * fixtures file that is missing fails with the file system's error.
 */
export async function inlineFixturesYaml(text: string, baseDir: string, header?: string): Promise<string> {
  const doc = parseDocument(text);
  const files = new Map<string, Node>();
  const inline = async (node: unknown): Promise<void> => {
    if (!isMap(node)) return;
    const value = node.get('fixtures');
    if (typeof value !== 'string' || value.startsWith('inline:')) return;
    let content = files.get(value);
    if (content === undefined) {
      const fixtures = parseDocument(await readFile(path.resolve(baseDir, value), 'utf8'));
      content = fixtures.contents ?? doc.createNode({});
      if (fixtures.commentBefore) content.commentBefore = fixtures.commentBefore;
      files.set(value, content);
    }
    node.set('fixtures', content.clone());
  };
  await inline(doc.contents);
  for (const phase of items(isMap(doc.contents) ? doc.contents.get('phases') : undefined)) {
    await inline(phase);
    if (!isMap(phase)) continue;
    await inline(phase.get('phase'));
    const map = phase.get('map');
    for (const inner of [...items(phase.get('phases')), ...items(isMap(map) ? map.get('phases') : undefined)])
      await inline(inner);
  }
  if (header !== undefined) {
    doc.commentBefore = doc.commentBefore ? `${header}\n\n${doc.commentBefore}` : header;
  }
  return doc.toString();
}

/** The items of a YAML sequence node (none for anything else). */
function items(node: unknown): unknown[] {
  return isSeq(node) ? node.items : [];
}
