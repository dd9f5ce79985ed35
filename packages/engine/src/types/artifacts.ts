/**
 * Outputs and artifacts: what a handler or a person produces (an {@link OutputPayload}), and the
 * stored, versioned artifact it becomes (an {@link ArtifactRef}); file trees are one kind of output.
 */

/** Metadata of one stored artifact version (its content lives in the store). */
export interface ArtifactRef {
  readonly attempt: number;
  readonly version: number;
  readonly mediaType: string;
  readonly size: number;
  readonly sha256: string;
}

/** An output as produced by a handler or a person, before it is stored. */
export interface OutputPayload {
  /**
   * `application/json` or `text/plain` (see `classifyOutput`), or {@link FILE_TREE_MEDIA_TYPE}
   * (the text is a {@link FileTreeManifest}).
   */
  readonly mediaType: string;
  /** The content as text (JSON text for `application/json`). */
  readonly text: string;
  readonly size: number;
  readonly sha256: string;
  /** A file tree's file contents, stored once each by hash (unchanged files are shared). */
  readonly files?: readonly FileBlob[];
}

/** The media type of a file-tree artifact: its text is a {@link FileTreeManifest}. */
export const FILE_TREE_MEDIA_TYPE = 'application/vnd.baton.file-tree+json';

/** What a file-tree artifact holds: its files, by path, each naming its content by hash. */
export interface FileTreeManifest {
  readonly files: readonly FileTreeEntry[];
  /** What the agent said when it finished (its final text), if anything. */
  readonly summary?: string;
}

export interface FileTreeEntry {
  /** Relative, `/`-separated, no `..`. */
  readonly path: string;
  readonly sha256: string;
  readonly size: number;
  readonly mediaType: string;
}

/** One file's content (UTF-8 text), keyed by its SHA-256. */
export interface FileBlob {
  readonly sha256: string;
  readonly size: number;
  readonly text: string;
}
