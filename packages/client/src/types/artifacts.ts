/**
 * A run's artifacts (`/api/runs/:id/phases/:phase/artifacts…`, `/api/runs/:id/download`; see
 * docs/server.md, "Artifacts"): the versions of a phase's output, their contents, the diff of two,
 * and the run as a zip.
 */

/** What made a version: an attempt, a person's edit or submission, or a fork's copy. */
export type ArtifactSource = 'attempt' | 'edit' | 'submission' | 'copy';

/** One stored version of a phase's output. */
export interface ArtifactVersionInfo {
  readonly version: number;
  /** 0: taken over by a fork. */
  readonly attempt: number;
  readonly mediaType: string;
  /** Bytes of the content (UTF-8). */
  readonly size: number;
  readonly sha256: string;
  /** ISO 8601. */
  readonly createdAt: string;
  readonly source: ArtifactSource;
  /** The person whose edit or submission made it. */
  readonly by?: string;
  /** A copy: the run and version it came from. */
  readonly copiedFrom?: { readonly runId: string; readonly version?: number };
}

/** `GET …/artifacts`: every version, oldest first. */
export interface ArtifactVersionList {
  readonly runId: string;
  readonly phaseId: string;
  readonly versions: readonly ArtifactVersionInfo[];
}

/** A file that differs between two file trees. */
export interface FileChange {
  readonly path: string;
  readonly change: 'added' | 'removed' | 'changed';
  /** A unified diff; left out once the answer holds 8 MiB of patches. */
  readonly patch?: string;
}

interface DiffSides {
  readonly runId: string;
  readonly phaseId: string;
  readonly from: ArtifactVersionInfo;
  readonly to: ArtifactVersionInfo;
}

/** `GET …/artifacts/diff?from=&to=`: one unified diff for text (JSON pretty-printed), or per file for two file trees. */
export type ArtifactDiff =
  | (DiffSides & { readonly kind: 'text'; readonly patch: string })
  | (DiffSides & { readonly kind: 'file-tree'; readonly files: readonly FileChange[] });

/** A content as the server stores it: a version (`…/artifacts/:version`) or a file of a tree. */
export interface ArtifactContent {
  /** The `Content-Type` it was served with (`text/plain; charset=utf-8`, …). */
  readonly contentType: string;
  readonly text: string;
}

/** `GET /api/runs/:id/download`: the zip, to be read as it arrives. */
export interface RunDownload {
  /** The file name the server suggests (`<run id>.zip`). */
  readonly filename?: string;
  readonly body: ReadableStream<Uint8Array>;
}
