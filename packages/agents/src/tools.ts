/**
 * The tools an agent may be given (`tools:` of an inline agent), over the run's artifacts:
 * - `read_file {phase, path?}`: the artifact of a phase the agent reads (a file of it, for a file
 *   tree), or a file this attempt has written;
 * - `write_files {files: [{path, content}], remove?: [path]}`: adds, replaces or removes files of
 *   the phase's file tree (its artifact).
 * Every call is traced in the phase's log (`tool_called`) with its input and a short result.
 */
import type { AgentDefinition, AttemptContext, JsonValue, PhaseTask } from '@baton/engine';
import { FILE_TREE_MEDIA_TYPE } from '@baton/engine';
import { jsonSchema, tool, type ToolSet } from 'ai';
import { FileTreeBuilder, parseManifest } from './file-tree.js';

/** Characters of a tool's result kept in the trace. */
const TRACE_CHARS = 500;

/** The agent's tools for one attempt, and the tree `write_files` builds. */
export function createAgentTools(
  task: PhaseTask,
  agent: AgentDefinition,
  context: AttemptContext,
): { readonly tools: ToolSet; readonly tree: FileTreeBuilder | undefined } {
  const tools: ToolSet = {};
  const tree = agent.tools.includes('write_files') ? FileTreeBuilder.continuing(task) : undefined;
  const traced = async (name: string, input: JsonValue, run: () => Promise<string>): Promise<string> => {
    try {
      const output = await run();
      await context.trace({ tool: name, input, output: shorten(output) });
      return output;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await context.trace({ tool: name, input, error: message });
      throw error;
    }
  };

  if (agent.tools.includes('read_file')) {
    const reads = agent.reads === undefined ? undefined : new Set(agent.reads);
    const upstream = task.upstream.filter((u) => reads === undefined || reads.has(u.phaseId));
    const names = upstream.map((u) => u.phaseId);
    tools.read_file = tool({
      description:
        `Read the artifact of a phase this agent reads (${names.join(', ') || 'none'})` +
        `${tree === undefined ? '' : `, or a file you wrote (phase "${task.phaseId}")`}. ` +
        'For a file tree, give the path of one of its files.',
      inputSchema: jsonSchema<{ phase: string; path?: string }>({
        type: 'object',
        required: ['phase'],
        properties: { phase: { type: 'string' }, path: { type: 'string' } },
        additionalProperties: false,
      }),
      execute: async (input) =>
        traced('read_file', input, async () => {
          if (input.phase === task.phaseId && tree !== undefined) return readOwn(tree, input.path, context);
          const artifact = upstream.find((u) => u.phaseId === input.phase);
          if (artifact === undefined) {
            throw new Error(
              `no artifact of phase "${input.phase}" to read; readable: ${names.join(', ') || 'none'}`,
            );
          }
          if (artifact.mediaType !== FILE_TREE_MEDIA_TYPE) return artifact.content;
          const manifest = parseManifest(artifact.content);
          if (input.path === undefined) {
            return `phase "${input.phase}" is a file tree; read one of its files: ${(manifest?.files ?? []).map((f) => f.path).join(', ')}`;
          }
          const entry = manifest?.files.find((f) => f.path === input.path);
          if (entry === undefined) throw new Error(`phase "${input.phase}" has no file "${input.path}"`);
          const content = await context.readBlob(entry.sha256);
          if (content === undefined)
            throw new Error(`the content of "${input.path}" is missing from the store`);
          return content;
        }),
    });
  }

  if (tree !== undefined) {
    tools.write_files = tool({
      description:
        "Write files of this phase's file tree (its artifact): each {path, content} adds or replaces a file; " +
        '`remove` lists paths to delete. Paths are relative, separated by /.',
      inputSchema: jsonSchema<{ files: { path: string; content: string }[]; remove?: string[] }>({
        type: 'object',
        required: ['files'],
        properties: {
          files: {
            type: 'array',
            items: {
              type: 'object',
              required: ['path', 'content'],
              properties: { path: { type: 'string' }, content: { type: 'string' } },
              additionalProperties: false,
            },
          },
          remove: { type: 'array', items: { type: 'string' } },
        },
        additionalProperties: false,
      }),
      execute: async (input) =>
        traced('write_files', summarizeWrite(input), () => {
          for (const file of input.files) tree.write(file.path, file.content);
          const removed = (input.remove ?? []).filter((path) => tree.remove(path));
          const wrote = input.files.map((f) => f.path);
          return Promise.resolve(
            `wrote ${wrote.length} file${wrote.length === 1 ? '' : 's'}${wrote.length > 0 ? `: ${wrote.join(', ')}` : ''}` +
              `${removed.length > 0 ? `; removed ${removed.join(', ')}` : ''}; the tree has ${tree.size} files`,
          );
        }),
    });
  }
  return { tools, tree };
}

async function readOwn(
  tree: FileTreeBuilder,
  path: string | undefined,
  context: AttemptContext,
): Promise<string> {
  if (path === undefined) throw new Error('give the path of the file you wrote');
  const entry = tree.entry(path);
  if (entry === undefined) throw new Error(`you have not written "${path}"`);
  const content = tree.writtenContent(entry.sha256) ?? (await context.readBlob(entry.sha256));
  if (content === undefined) throw new Error(`the content of "${path}" is missing from the store`);
  return content;
}

/** What the trace keeps of a write: the paths and sizes, not the contents (they are in the tree). */
function summarizeWrite(input: { files: { path: string; content: string }[]; remove?: string[] }): JsonValue {
  return {
    files: input.files.map((f) => ({ path: f.path, bytes: Buffer.byteLength(f.content, 'utf8') })),
    ...(input.remove === undefined ? {} : { remove: input.remove }),
  };
}

function shorten(text: string): string {
  return text.length <= TRACE_CHARS ? text : `${text.slice(0, TRACE_CHARS)}… (${text.length} characters)`;
}
