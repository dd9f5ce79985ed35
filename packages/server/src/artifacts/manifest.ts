/**
 * A file tree's manifest read back from its artifact: `{files: [{path, sha256, size, mediaType}],
 * summary?}`, checked before anything uses it — every path relative, `/`-separated, without empty,
 * `.` or `..` parts, backslashes or control characters, each path once — so that a path from a
 * manifest is safe as a zip entry or a file under a directory. A file is found only by a path
 * the manifest lists: a request's path is looked up, never resolved.
 */
import { FILE_TREE_MEDIA_TYPE, type FileTreeEntry, type FileTreeManifest } from '@baton/engine';

/** Whether an artifact of `mediaType` is a file tree. */
export function isFileTree(mediaType: string): boolean {
  return mediaType === FILE_TREE_MEDIA_TYPE;
}

/** The manifest in `text`, or undefined when it is not a valid one. */
export function readManifest(text: string): FileTreeManifest | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { files, summary } = value as { files?: unknown; summary?: unknown };
  if (!Array.isArray(files) || (summary !== undefined && typeof summary !== 'string')) return undefined;
  const seen = new Set<string>();
  const entries: FileTreeEntry[] = [];
  for (const file of files as unknown[]) {
    if (!isEntry(file) || !safePath(file.path) || seen.has(file.path)) return undefined;
    seen.add(file.path);
    entries.push({ path: file.path, sha256: file.sha256, size: file.size, mediaType: file.mediaType });
  }
  return { files: entries, ...(summary === undefined ? {} : { summary }) };
}

function isEntry(value: unknown): value is FileTreeEntry {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Record<string, unknown>;
  return (
    typeof entry.path === 'string' &&
    typeof entry.sha256 === 'string' &&
    /^[0-9a-f]{64}$/.test(entry.sha256) &&
    typeof entry.size === 'number' &&
    typeof entry.mediaType === 'string'
  );
}

/** A relative `/`-separated path of 1 to 500 characters without empty, `.` or `..` parts. */
function safePath(path: string): boolean {
  if (path === '' || path.length > 500 || path.includes('\\') || /^[A-Za-z]:/.test(path)) return false;
  if ([...path].some((c) => c.charCodeAt(0) < 32 || c.charCodeAt(0) === 127)) return false;
  return path.split('/').every((part) => part !== '' && part !== '.' && part !== '..');
}
