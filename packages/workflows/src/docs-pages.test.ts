import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { NOTES, tempBuiltins } from './builtins-dir.test-support.js';
import {
  DOCS_COMMAND,
  GRAPH_BEGIN,
  GRAPH_END,
  pageDiagram,
  WORKFLOW_DOCS_DIR,
  withDiagram,
  writeWorkflowPages,
} from './docs-pages.js';
import { mermaidGraph } from './mermaid-graph.js';
import { builtinNames, loadBuiltin } from './registry.js';

const removals: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(removals.splice(0).map((remove) => remove()));
});

describe('the pages of docs/workflows', () => {
  it('holds, for every built-in, a page whose diagram is `baton graph <name>`', async () => {
    for (const name of await builtinNames()) {
      const page = await readFile(path.join(WORKFLOW_DOCS_DIR, `${name}.md`), 'utf8').catch(() => '');
      const expected = mermaidGraph((await loadBuiltin(name)).workflow);
      expect(
        pageDiagram(page),
        `docs/workflows/${name}.md is missing or its diagram is stale: run \`${DOCS_COMMAND}\``,
      ).toBe(expected);
    }
  });

  it('creates a missing page, rewrites only a stale diagram, and leaves an up-to-date page alone', async () => {
    const builtins = await tempBuiltins({
      notes: NOTES,
      other: { ...NOTES, 'workflow.yaml': NOTES['workflow.yaml']!.replace('id: notes', 'id: other') },
    });
    removals.push(builtins.remove);
    const docsDir = await mkdtemp(path.join(tmpdir(), 'baton-docs-'));
    removals.push(() => rm(docsDir, { recursive: true, force: true }));
    const graph = mermaidGraph((await loadBuiltin('notes', { dir: builtins.dir })).workflow);
    const written = `# Other\n\nWritten by a person.\n\n${GRAPH_BEGIN}\nold diagram\n${GRAPH_END}\n\nMore words.\n`;
    await writeFile(path.join(docsDir, 'other.md'), written);

    const first = await writeWorkflowPages({ builtinsDir: builtins.dir, docsDir });
    expect(first).toEqual({ created: ['notes.md'], updated: ['other.md'], unchanged: [] });
    const created = await readFile(path.join(docsDir, 'notes.md'), 'utf8');
    expect(created).toMatch(/^# `notes` — a built-in workflow\n\nDraft release notes and publish them\n/);
    expect(created).toContain('baton workflows export notes > my-notes.yaml');
    expect(pageDiagram(created)).toBe(graph);
    expect(created).toContain(`${GRAPH_BEGIN}\n\n\`\`\`mermaid\n${graph}\n\`\`\`\n\n${GRAPH_END}`);
    const updated = await readFile(path.join(docsDir, 'other.md'), 'utf8');
    expect(updated).toBe(written.replace('old diagram', `\n\`\`\`mermaid\n${graph}\n\`\`\`\n`));

    const second = await writeWorkflowPages({ builtinsDir: builtins.dir, docsDir });
    expect(second).toEqual({ created: [], updated: [], unchanged: ['notes.md', 'other.md'] });
  });

  it('adds a Graph section to a page without markers, and reads no diagram from it before', () => {
    const page = '# Notes\n\nText.\n';
    expect(pageDiagram(page)).toBeUndefined();
    const added = withDiagram(page, 'flowchart TD');
    expect(added).toBe(
      `# Notes\n\nText.\n\n## Graph\n\n${GRAPH_BEGIN}\n\n\`\`\`mermaid\nflowchart TD\n\`\`\`\n\n${GRAPH_END}\n`,
    );
    expect(pageDiagram(added)).toBe('flowchart TD');
  });
});
