/**
 * The difference between two versions of a phase's output, as unified diffs made by jsdiff. Text
 * is compared as it is; JSON (any `+json` type too) pretty-printed first (two-space indent, keys
 * in their order), so a change shows on its own line. Two file trees are compared file by file:
 * each path only in the newer one is `added`, only in the older one `removed`, in both with
 * another content `changed`, each with its own patch (`a/PATH`, `b/PATH`, `/dev/null` for a
 * missing side); unchanged files are left out. A tree against a document compares their texts.
 *
 * Bounds: jsdiff gives up past {@link MAX_EDIT_LENGTH} edits (a file rewritten from top to
 * bottom); such a patch then removes every old line and adds every new one. Once the patches of
 * a tree's diff hold {@link MAX_PATCH_CHARS} characters, the files after that are listed without
 * their patch.
 */
import { createTwoFilesPatch, FILE_HEADERS_ONLY, formatPatch, structuredPatch } from 'diff';
import type { FileTreeManifest, StoredArtifact } from '@baton/engine';
import type { ArtifactDiff, FileChange } from '../schemas/artifact.js';
import type { ArtifactReader } from './artifact-reader.js';
import { readVersion, requireBlob, versionInfo } from './artifact-versions.js';
import { isFileTree, readManifest } from './manifest.js';
import { versionProvenance } from './provenance.js';

/** Most edits jsdiff looks for before it settles for "all removed, all added". */
const MAX_EDIT_LENGTH = 2000;
/** Characters of patches one tree diff carries; later files are listed without theirs. */
const MAX_PATCH_CHARS = 8 * 1024 * 1024;

/** The diff of versions `from` and `to` of `phaseId`'s output (either may be the newer). */
export async function diffVersions(
  reader: ArtifactReader,
  runId: string,
  phaseId: string,
  from: number,
  to: number,
): Promise<ArtifactDiff> {
  const older = await readVersion(reader, runId, phaseId, from);
  const newer = await readVersion(reader, runId, phaseId, to);
  const provenance = versionProvenance(await reader.listEvents(runId), phaseId);
  const base = {
    runId,
    phaseId,
    from: versionInfo(older, provenance.get(from)),
    to: versionInfo(newer, provenance.get(to)),
  };
  const olderTree = isFileTree(older.mediaType) ? readManifest(older.content) : undefined;
  const newerTree = isFileTree(newer.mediaType) ? readManifest(newer.content) : undefined;
  if (olderTree !== undefined && newerTree !== undefined)
    return { ...base, kind: 'file-tree', files: await diffTrees(reader, olderTree, newerTree) };
  return {
    ...base,
    kind: 'text',
    patch: unifiedDiff(`${phaseId}@${from}`, `${phaseId}@${to}`, comparable(older), comparable(newer)),
  };
}

/** The files that differ between two trees, by path. */
async function diffTrees(
  reader: ArtifactReader,
  older: FileTreeManifest,
  newer: FileTreeManifest,
): Promise<FileChange[]> {
  const before = new Map(older.files.map((file) => [file.path, file]));
  const after = new Map(newer.files.map((file) => [file.path, file]));
  const paths = [...new Set([...before.keys(), ...after.keys()])].sort((a, b) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
  const changes: FileChange[] = [];
  let budget = MAX_PATCH_CHARS;
  for (const path of paths) {
    const was = before.get(path);
    const is = after.get(path);
    if (was?.sha256 === is?.sha256) continue;
    const change = was === undefined ? 'added' : is === undefined ? 'removed' : 'changed';
    if (budget <= 0) {
      changes.push({ path, change });
      continue;
    }
    const oldText = was === undefined ? '' : await requireBlob(reader, was.sha256, path);
    const newText = is === undefined ? '' : await requireBlob(reader, is.sha256, path);
    const patch = unifiedDiff(
      was === undefined ? '/dev/null' : `a/${path}`,
      is === undefined ? '/dev/null' : `b/${path}`,
      oldText,
      newText,
    );
    budget -= patch.length;
    changes.push({ path, change, patch });
  }
  return changes;
}

/** What is compared of a version: its text, JSON pretty-printed. */
function comparable(artifact: StoredArtifact): string {
  if (artifact.mediaType !== 'application/json' && !artifact.mediaType.endsWith('+json'))
    return artifact.content;
  try {
    return `${JSON.stringify(JSON.parse(artifact.content), null, 2)}\n`;
  } catch {
    return artifact.content;
  }
}

/** A unified diff with three lines of context; '' when the texts are the same. */
function unifiedDiff(oldName: string, newName: string, oldText: string, newText: string): string {
  if (oldText === newText) return '';
  const patch = createTwoFilesPatch(oldName, newName, oldText, newText, undefined, undefined, {
    context: 3,
    maxEditLength: MAX_EDIT_LENGTH,
    headerOptions: FILE_HEADERS_ONLY,
  });
  if (patch !== undefined) return patch;
  // Too different for a short diff: one hunk that removes every old line and adds every new one.
  const removed = structuredPatch(oldName, newName, oldText, '', undefined, undefined, { context: 0 });
  const added = structuredPatch(oldName, newName, '', newText, undefined, undefined, { context: 0 });
  const out = removed.hunks[0];
  const into = added.hunks[0];
  return formatPatch(
    {
      ...removed,
      hunks: [
        {
          oldStart: out?.oldStart ?? 1,
          oldLines: out?.oldLines ?? 0,
          newStart: into?.newStart ?? 1,
          newLines: into?.newLines ?? 0,
          lines: [...(out?.lines ?? []), ...(into?.lines ?? [])],
        },
      ],
    },
    FILE_HEADERS_ONLY,
  );
}
