/**
 * File-tree artifacts: what an agent with `write_files` produces. The artifact's text is a
 * manifest (`{files: [{path, sha256, size, mediaType}], summary}`, sorted by path); each file's
 * content is stored once by hash, so a later version of the tree shares the files it did not
 * change. A tree starts from the phase's previous tree (an earlier attempt's), so a fix round
 * writes only what it changes.
 */
import { createHash } from 'node:crypto';
import { extname } from 'node:path';
import {
  FILE_TREE_MEDIA_TYPE,
  type FileBlob,
  type FileTreeEntry,
  type FileTreeManifest,
  type OutputPayload,
  type PhaseTask,
} from '@baton/engine';

/** Most files in one tree, and bytes in one file. */
const MAX_TREE_FILES = 1000;
const MAX_FILE_BYTES = 1024 * 1024;

const MEDIA_TYPES: Readonly<Record<string, string>> = {
  '.md': 'text/markdown',
  '.json': 'application/json',
  '.ts': 'text/x-typescript',
  '.tsx': 'text/x-typescript',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.html': 'text/html',
  '.css': 'text/css',
  '.yaml': 'application/yaml',
  '.yml': 'application/yaml',
  '.sql': 'application/sql',
  '.py': 'text/x-python',
};

/** A tree being written during one attempt. */
export class FileTreeBuilder {
  private readonly entries = new Map<string, FileTreeEntry>();
  private readonly written = new Map<string, FileBlob>();

  constructor(base: readonly FileTreeEntry[] = []) {
    for (const entry of base) this.entries.set(entry.path, entry);
  }

  /** The tree of the phase's latest earlier attempt that produced one, as the starting point. */
  static continuing(task: PhaseTask): FileTreeBuilder {
    for (const earlier of [...task.earlier].reverse()) {
      const manifest = earlier.output === undefined ? undefined : parseManifest(earlier.output);
      if (manifest !== undefined) return new FileTreeBuilder(manifest.files);
    }
    return new FileTreeBuilder();
  }

  /** Adds or replaces a file. Throws an Error saying what is wrong with a bad path or size. */
  write(path: string, text: string): void {
    const problem = pathProblem(path);
    if (problem !== undefined) throw new Error(`${JSON.stringify(path)}: ${problem}`);
    const size = Buffer.byteLength(text, 'utf8');
    if (size > MAX_FILE_BYTES)
      throw new Error(`${path}: ${size} bytes is more than ${MAX_FILE_BYTES} per file`);
    if (!this.entries.has(path) && this.entries.size >= MAX_TREE_FILES)
      throw new Error(`a tree holds at most ${MAX_TREE_FILES} files`);
    const sha256 = createHash('sha256').update(text, 'utf8').digest('hex');
    this.entries.set(path, { path, sha256, size, mediaType: MEDIA_TYPES[extname(path)] ?? 'text/plain' });
    this.written.set(sha256, { sha256, size, text });
  }

  /** Removes a file; true when it was there. */
  remove(path: string): boolean {
    return this.entries.delete(path);
  }

  /** The file at `path` in the tree so far. */
  entry(path: string): FileTreeEntry | undefined {
    return this.entries.get(path);
  }

  /** Content written in this attempt, by hash (files of the base tree are in the store). */
  writtenContent(sha256: string): string | undefined {
    return this.written.get(sha256)?.text;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The artifact: the manifest, with the contents written in this attempt (each once). */
  payload(summary: string): OutputPayload {
    const manifest: FileTreeManifest = {
      files: [...this.entries.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
      ...(summary.trim() === '' ? {} : { summary: summary.trim() }),
    };
    const text = `${JSON.stringify(manifest, null, 2)}\n`;
    const used = new Set(manifest.files.map((file) => file.sha256));
    return {
      mediaType: FILE_TREE_MEDIA_TYPE,
      text,
      size: Buffer.byteLength(text, 'utf8'),
      sha256: createHash('sha256').update(text, 'utf8').digest('hex'),
      files: [...this.written.values()].filter((blob) => used.has(blob.sha256)),
    };
  }
}

/** A manifest read back from an artifact's text, or undefined when it is not one. */
export function parseManifest(text: string): FileTreeManifest | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || !Array.isArray((value as { files?: unknown }).files))
    return undefined;
  const files = (value as { files: unknown[] }).files;
  const valid = files.every(
    (f) =>
      typeof f === 'object' &&
      f !== null &&
      typeof (f as FileTreeEntry).path === 'string' &&
      typeof (f as FileTreeEntry).sha256 === 'string' &&
      typeof (f as FileTreeEntry).size === 'number' &&
      typeof (f as FileTreeEntry).mediaType === 'string',
  );
  return valid ? (value as FileTreeManifest) : undefined;
}

/** Why a path is not a tree path, or undefined. */
function pathProblem(path: string): string | undefined {
  if (path === '' || path.length > 500) return 'a path must have 1 to 500 characters';
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) return 'a path must be relative';
  if (path.includes('\\')) return 'use / to separate directories';
  const segments = path.split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..'))
    return 'a path may not contain empty, . or .. parts';
  if ([...path].some((c) => c.charCodeAt(0) < 32)) return 'a path may not contain control characters';
  return undefined;
}
