/**
 * The `merge-architecture` step (`kind: builtin, run: merge-architecture`): the results of parallel
 * branches merged into one **architecture state**, a JSON document the phases after the fan-in read
 * in one piece (and a person reviews at its gate). Each needed phase becomes one branch of the
 * state, keyed by its phase id, in the order the phase lists its needs:
 *
 * - a file tree (its manifest) — each file with its path, media type, size and hash, and its
 *   content inlined while the file and the running total stay under the limits below (a file past
 *   them is listed with `omitted` saying why, so nothing is silently dropped);
 * - a markdown document — the text, with its headings as an outline;
 * - any other JSON — as it is;
 * - a phase that was skipped (a person skipped a failed branch) — `{status: "skipped"}`, and its id
 *   in `skipped`, so whoever reads the state knows that part is missing rather than empty.
 *
 * It never fails on its inputs: a missing branch is a fact to show at the gate, not an error.
 */
import type {
  BuiltinContext,
  BuiltinInputs,
  BuiltinStep,
  FileTreeEntry,
  JsonSchema,
  JsonValue,
} from '@baton/engine';

/** A file's content is inlined only up to this size (bytes). */
export const MAX_INLINE_FILE_BYTES = 64 * 1024;
/** Inlined contents stop once the state holds this much of them (bytes), so it stays readable. */
export const MAX_INLINE_TOTAL_BYTES = 512 * 1024;

type Json = { [key: string]: JsonValue };

interface MergedFile {
  readonly path: string;
  readonly mediaType: string;
  readonly size: number;
  readonly sha256: string;
  readonly content?: string;
  readonly omitted?: string;
}

/** Inline budget shared by every file of every branch of one merge. */
interface Budget {
  left: number;
}

function isManifest(value: JsonValue): value is Json & { files: FileTreeEntry[]; summary?: string } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const files = value.files;
  return (
    Array.isArray(files) &&
    files.every(
      (file) =>
        typeof file === 'object' &&
        file !== null &&
        !Array.isArray(file) &&
        typeof file.path === 'string' &&
        typeof file.sha256 === 'string' &&
        typeof file.size === 'number',
    )
  );
}

/** The headings of a markdown document, `#` marks dropped, in order (outside code fences). */
export function markdownOutline(document: string): string[] {
  const headings: string[] = [];
  let fenced = false;
  for (const line of document.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    if (fenced) continue;
    const heading = /^#{1,6}\s+(.+?)\s*#*\s*$/.exec(line);
    if (heading !== null) headings.push(heading[1]!);
  }
  return headings;
}

async function mergeFile(
  phase: string,
  file: FileTreeEntry,
  budget: Budget,
  context: BuiltinContext,
): Promise<MergedFile> {
  const entry = {
    path: file.path,
    mediaType: file.mediaType ?? 'text/plain',
    size: file.size,
    sha256: file.sha256,
  };
  if (file.size > MAX_INLINE_FILE_BYTES)
    return { ...entry, omitted: `over ${MAX_INLINE_FILE_BYTES / 1024} KiB: read it in ${phase}'s file tree` };
  if (file.size > budget.left)
    return {
      ...entry,
      omitted: `the state already holds ${MAX_INLINE_TOTAL_BYTES / 1024} KiB of contents: read it in ${phase}'s file tree`,
    };
  const content = await context.readBlob(file.sha256);
  if (content === undefined)
    return { ...entry, omitted: `its content is not stored: read it in ${phase}'s file tree` };
  budget.left -= file.size;
  return { ...entry, content };
}

async function mergeBranch(
  phase: string,
  value: JsonValue,
  budget: Budget,
  context: BuiltinContext,
): Promise<Json> {
  if (typeof value === 'string')
    return { status: 'completed', kind: 'markdown', outline: markdownOutline(value), document: value };
  if (isManifest(value)) {
    const files: MergedFile[] = [];
    for (const file of [...value.files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)))
      files.push(await mergeFile(phase, file, budget, context));
    return {
      status: 'completed',
      kind: 'file-tree',
      summary: typeof value.summary === 'string' ? value.summary : '',
      files: files as unknown as JsonValue[],
    };
  }
  return { status: 'completed', kind: 'json', value };
}

function describeBranch(phase: string, branch: Json): string {
  switch (branch.kind) {
    case 'file-tree': {
      const count = (branch.files as JsonValue[]).length;
      return `${phase} (a file tree of ${count} file${count === 1 ? '' : 's'})`;
    }
    case 'markdown': {
      const count = (branch.outline as JsonValue[]).length;
      return `${phase} (a document of ${count} heading${count === 1 ? '' : 's'})`;
    }
    default:
      return `${phase} (JSON)`;
  }
}

/**
 * Merges `inputs` (the needed phases' outputs by phase id) into the architecture state. `needs`
 * orders the branches and names the skipped ones; an input not in `needs` follows them.
 */
export async function mergeArchitecture(inputs: BuiltinInputs, context: BuiltinContext): Promise<Json> {
  const order = [...context.needs, ...Object.keys(inputs).filter((phase) => !context.needs.includes(phase))];
  const budget: Budget = { left: MAX_INLINE_TOTAL_BYTES };
  const branches: Json = {};
  const merged: string[] = [];
  const skipped: string[] = [];
  for (const phase of order) {
    if (!Object.hasOwn(inputs, phase)) {
      branches[phase] = { status: 'skipped' };
      skipped.push(phase);
      continue;
    }
    const branch = await mergeBranch(phase, inputs[phase]!, budget, context);
    branches[phase] = branch;
    merged.push(describeBranch(phase, branch));
  }
  const what = merged.length === 0 ? 'Nothing to merge' : `Merged ${listWords(merged)}`;
  const missing =
    skipped.length === 0
      ? 'nothing was skipped.'
      : `${listWords(skipped)} ${skipped.length === 1 ? 'was' : 'were'} skipped, so the state has no part of ${skipped.length === 1 ? 'it' : 'them'}.`;
  return { summary: `${what}; ${missing}`, branches, skipped };
}

function listWords(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words.at(-1)!}`;
}

const FILE_SCHEMA: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['path', 'mediaType', 'size', 'sha256'],
  properties: {
    path: { type: 'string' },
    mediaType: { type: 'string' },
    size: { type: 'integer', minimum: 0 },
    sha256: { type: 'string' },
    content: { type: 'string' },
    omitted: { type: 'string' },
  },
};

/** The `merge-architecture` step: the outputs it needs, merged into one architecture state. */
export const mergeArchitectureStep: BuiltinStep = {
  name: 'merge-architecture',
  description:
    'Merges the outputs of the phases it needs (file trees with their contents, markdown documents, JSON) into one architecture state keyed by phase id, naming the skipped ones.',
  output: {
    type: 'object',
    additionalProperties: false,
    required: ['summary', 'branches', 'skipped'],
    properties: {
      summary: { type: 'string', minLength: 1 },
      skipped: { type: 'array', items: { type: 'string' } },
      branches: {
        type: 'object',
        additionalProperties: {
          oneOf: [
            {
              type: 'object',
              additionalProperties: false,
              required: ['status'],
              properties: { status: { const: 'skipped' } },
            },
            {
              type: 'object',
              additionalProperties: false,
              required: ['status', 'kind', 'summary', 'files'],
              properties: {
                status: { const: 'completed' },
                kind: { const: 'file-tree' },
                summary: { type: 'string' },
                files: { type: 'array', items: FILE_SCHEMA },
              },
            },
            {
              type: 'object',
              additionalProperties: false,
              required: ['status', 'kind', 'outline', 'document'],
              properties: {
                status: { const: 'completed' },
                kind: { const: 'markdown' },
                outline: { type: 'array', items: { type: 'string' } },
                document: { type: 'string' },
              },
            },
            {
              type: 'object',
              additionalProperties: false,
              required: ['status', 'kind', 'value'],
              properties: { status: { const: 'completed' }, kind: { const: 'json' }, value: true },
            },
          ],
        },
      },
    },
  },
  run: async (inputs, context) => ({ ok: true, output: await mergeArchitecture(inputs, context) }),
};
