/**
 * A run as a zip laid out as a project (`GET /api/runs/:id/download`, `baton download`):
 *
 *   baton-run.json          the run as `GET /api/runs/:id` answers it, plus `contents`: which
 *                           version of which phase each path below holds — those outputs are
 *                           `null` in its phases, not written twice
 *   <phase>/<path>          every file of a phase whose output is a file tree, under a directory
 *                           named after the phase (always: a second tree phase never moves the
 *                           first one's files, and no file can collide with another phase's)
 *   <phase>.json            a JSON output (`baton-run.output.json` for a phase named `baton-run`)
 *   <phase>.md              any other output (a document)
 *
 * Each phase contributes the version `baton show` shows — its accepted output, else its latest
 * (a phase waiting at its gate, a failed one) — and nothing when it has none or was reset to run
 * again. Contents are written as stored (UTF-8), each entry dated when its version was stored.
 *
 * Streamed: the plan reads the run, its trees' manifests and the versions' times; every content
 * is read from the store only when the zip writer (yazl) reaches its entry, and the zip's bytes
 * leave as they are made — the run is never held in memory whole.
 */
import { Readable } from 'node:stream';
import { ZipFile } from 'yazl';
import type { RunState } from '@baton/engine';
import { shownVersion, storeOutputs, type OutputReader } from '@baton/runtime';
import { buildRunView } from '../runs/run-view.js';
import type { ArtifactReader } from './artifact-reader.js';
import { readVersion, requireBlob, requireRun } from './artifact-versions.js';
import { isFileTree, readManifest } from './manifest.js';

/** The run's own file at the top of the archive. */
const RUN_FILE = 'baton-run.json';

/** One file of the archive: its path and its content, read when the writer needs it. */
interface ArchiveEntry {
  readonly path: string;
  readonly mtime: Date;
  read(): Promise<string>;
}

/** What `contents` in `baton-run.json` says of each phase in the archive. */
interface ArchiveContent {
  readonly phaseId: string;
  readonly version: number;
  readonly mediaType: string;
  /** `<phase>.md`, `<phase>.json`, or `<phase>/` for a file tree. */
  readonly path: string;
}

export interface RunArchive {
  readonly runId: string;
  /** `<run id>.zip`, made safe for a `Content-Disposition` header. */
  readonly filename: string;
  readonly entries: readonly ArchiveEntry[];
}

/** The layout of `runId`'s archive (`RUN_NOT_FOUND` when there is no such run). */
export async function planRunArchive(reader: ArtifactReader, runId: string): Promise<RunArchive> {
  const state = await requireRun(reader, runId);
  const entries: ArchiveEntry[] = [];
  const contents: ArchiveContent[] = [];
  for (const phaseId of state.order) {
    const ref = shownVersion(state.phases[phaseId]);
    if (ref === undefined) continue;
    const { version, mediaType } = ref;
    const stored = (await reader.listArtifactVersions(runId, phaseId)).find((v) => v.version === version);
    if (stored === undefined) continue;
    const mtime = new Date(stored.createdAt);
    const manifest = isFileTree(mediaType)
      ? readManifest((await readVersion(reader, runId, phaseId, version)).content)
      : undefined;
    if (manifest !== undefined) {
      contents.push({ phaseId, version, mediaType, path: `${phaseId}/` });
      for (const file of manifest.files)
        entries.push({
          path: `${phaseId}/${file.path}`,
          mtime,
          read: () => requireBlob(reader, file.sha256, file.path),
        });
      continue;
    }
    const path = documentPath(phaseId, mediaType);
    contents.push({ phaseId, version, mediaType, path });
    entries.push({
      path,
      mtime,
      read: async () => (await readVersion(reader, runId, phaseId, version)).content,
    });
  }
  const view = await buildRunView(reader, state, { outputs: outputsNotInZip(reader, state, contents) });
  const runFile = `${JSON.stringify({ ...view, contents }, null, 2)}\n`;
  return {
    runId,
    filename: `${safeName(runId)}.zip`,
    entries: [
      { path: RUN_FILE, mtime: new Date(state.updatedAt), read: () => Promise.resolve(runFile) },
      ...entries,
    ],
  };
}

/**
 * Reads the outputs `baton-run.json`'s view shows, except those the zip holds as files (`null`
 * there: `contents` says where each is). Repeating them would double the zip and hold every
 * output in memory at once; a reviewer's output whose findings a gate shows is still read.
 */
function outputsNotInZip(
  reader: ArtifactReader,
  state: RunState,
  contents: readonly ArchiveContent[],
): OutputReader {
  const key = (phaseId: string, version: number) => `${version}:${phaseId}`;
  const findings = new Set<string>();
  for (const phase of Object.values(state.phases)) {
    const advice = phase.waiting?.recommendation;
    if (advice !== undefined) findings.add(key(advice.by, advice.version));
  }
  const skipped = new Set(
    contents.map((content) => key(content.phaseId, content.version)).filter((k) => !findings.has(k)),
  );
  const read = storeOutputs(reader);
  return async (run, refs) => {
    const wanted = refs.filter((ref) => !skipped.has(key(ref.phaseId, ref.version)));
    const values = await read(run, wanted);
    const byKey = new Map(wanted.map((ref, index) => [key(ref.phaseId, ref.version), values[index]]));
    return refs.map((ref) => byKey.get(key(ref.phaseId, ref.version)));
  };
}

/**
 * The archive as a zip, streamed: an entry's content is read when the writer reaches it. A read
 * that fails destroys the stream with its error (an HTTP client sees the connection end early).
 */
export function zipRunArchive(archive: RunArchive): Readable {
  const zip = new ZipFile();
  const output = zip.outputStream as Readable;
  zip.on('error', (error: unknown) =>
    output.destroy(error instanceof Error ? error : new Error(String(error))),
  );
  for (const entry of archive.entries)
    zip.addReadStreamLazy(entry.path, { mtime: entry.mtime, mode: 0o100644 }, (done) => {
      entry.read().then(
        (text) => done(null, Readable.from([Buffer.from(text, 'utf8')])),
        (error: unknown) => done(error, Readable.from([])),
      );
    });
  zip.end();
  return output;
}

/** `Content-Disposition` of an archive: an attachment with a plain and an RFC 8187 filename. */
export function attachmentDisposition(archive: RunArchive): string {
  const encoded = encodeURIComponent(`${archive.runId}.zip`).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${archive.filename}"; filename*=UTF-8''${encoded}`;
}

function documentPath(phaseId: string, mediaType: string): string {
  if (mediaType !== 'application/json' && !mediaType.endsWith('+json')) return `${phaseId}.md`;
  return `${phaseId}.json` === RUN_FILE ? `${phaseId}.output.json` : `${phaseId}.json`;
}

/** A file name of letters, digits, `.`, `_` and `-` only. */
function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_') || 'run';
}
