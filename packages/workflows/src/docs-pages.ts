/**
 * The pages of `docs/workflows/`: one per built-in, `<name>.md`, whose diagram — the text between
 * `<!-- graph:begin -->` and `<!-- graph:end -->` — is `baton graph <name>` in a Mermaid block.
 * The generator (`npm run docs:workflows`) rewrites only that part of each page, creating a page
 * from a template when it is missing; everything around the markers is written by people.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { mermaidGraph } from './mermaid-graph.js';
import { listBuiltins, loadBuiltin, type BuiltinSummary } from './registry.js';

export const GRAPH_BEGIN = '<!-- graph:begin -->';
export const GRAPH_END = '<!-- graph:end -->';

/** `docs/workflows/` of this checkout. */
export const WORKFLOW_DOCS_DIR = fileURLToPath(new URL('../../../docs/workflows/', import.meta.url));

/** The command that brings every page's diagram up to date (for messages). */
export const DOCS_COMMAND = 'npm run docs:workflows';

/** The markers and the Mermaid block between them, blank lines around the block as Prettier writes it. */
function graphBlock(graph: string): string {
  return `${GRAPH_BEGIN}\n\n\`\`\`mermaid\n${graph}\n\`\`\`\n\n${GRAPH_END}`;
}

/** The diagram a page holds between its markers (the Mermaid text, fences left out), or undefined. */
export function pageDiagram(page: string): string | undefined {
  const begin = page.indexOf(GRAPH_BEGIN);
  const end = page.indexOf(GRAPH_END, begin);
  if (begin < 0 || end < 0) return undefined;
  const inside = page.slice(begin + GRAPH_BEGIN.length, end).trim();
  const fenced = /^```mermaid\n([\s\S]*)\n```$/.exec(inside);
  return fenced?.[1] ?? inside;
}

/** `page` with `graph` between its markers; a page without markers gets a "Graph" section at its end. */
export function withDiagram(page: string, graph: string): string {
  const begin = page.indexOf(GRAPH_BEGIN);
  const end = page.indexOf(GRAPH_END, begin);
  if (begin < 0 || end < 0) return `${page.trimEnd()}\n\n## Graph\n\n${graphBlock(graph)}\n`;
  return page.slice(0, begin) + graphBlock(graph) + page.slice(end + GRAPH_END.length);
}

/** A new page for a built-in: what it is, how to run and copy it, and its diagram. */
function newPage(builtin: BuiltinSummary, graph: string): string {
  return [
    `# \`${builtin.name}\` — a built-in workflow`,
    '',
    builtin.description ?? `The built-in workflow \`${builtin.name}\`.`,
    '',
    '```sh',
    `baton run ${builtin.name}                                   # offline on its fixtures without a provider key`,
    `baton workflows export ${builtin.name} > my-${builtin.name}.yaml   # a copy to change`,
    '```',
    '',
    '## Graph',
    '',
    `Solid arrows: what a phase needs. Dotted: a reviewer and the phase it reviews. A thick border: a gate.`,
    `Generated from \`baton graph ${builtin.name}\` by \`${DOCS_COMMAND}\`; edit the text around it, not the diagram.`,
    '',
    graphBlock(graph),
    '',
  ].join('\n');
}

/** What {@link writeWorkflowPages} did, by page file name. */
export interface WrittenPages {
  readonly created: readonly string[];
  readonly updated: readonly string[];
  readonly unchanged: readonly string[];
}

/**
 * Brings the page of every built-in of `builtinsDir` in `docsDir` up to date: creates missing
 * pages, rewrites stale diagrams, leaves the rest alone.
 */
export async function writeWorkflowPages(
  options: { readonly builtinsDir?: string; readonly docsDir?: string } = {},
): Promise<WrittenPages> {
  const docsDir = options.docsDir ?? WORKFLOW_DOCS_DIR;
  const dir = options.builtinsDir;
  const result = { created: [] as string[], updated: [] as string[], unchanged: [] as string[] };
  await mkdir(docsDir, { recursive: true });
  for (const builtin of await listBuiltins(dir === undefined ? {} : { dir })) {
    const graph = mermaidGraph((await loadBuiltin(builtin.name, dir === undefined ? {} : { dir })).workflow);
    const file = `${builtin.name}.md`;
    const existing = await readFile(path.join(docsDir, file), 'utf8').catch(() => undefined);
    const page = existing === undefined ? newPage(builtin, graph) : withDiagram(existing, graph);
    if (page === existing) {
      result.unchanged.push(file);
      continue;
    }
    await writeFile(path.join(docsDir, file), page);
    (existing === undefined ? result.created : result.updated).push(file);
  }
  return result;
}
