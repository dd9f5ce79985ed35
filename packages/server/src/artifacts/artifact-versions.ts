/**
 * Reading a run's artifacts: the versions of a phase's output with where each came from, one
 * version's content, and one file of a file tree. The routes and the CLI (on its home) answer with
 * these functions, so both say the same. A refusal is an error with a stable code:
 * `RUN_NOT_FOUND`, `PHASE_NOT_FOUND` (no such phase, or no such version of it) or
 * `FILE_NOT_FOUND` (a path the tree's manifest does not list, or a version that is no tree).
 */
import {
  BatonError,
  ErrorCode,
  suggest,
  type ArtifactVersionRecord,
  type RunState,
  type StoredArtifact,
} from '@baton/engine';
import { shownVersion } from '@baton/runtime';
import { ApiError, ApiErrorCode } from '../http-errors.js';
import type { ArtifactList, ArtifactVersionInfo } from '../schemas/artifact.js';
import type { ArtifactReader } from './artifact-reader.js';
import { isFileTree, readManifest } from './manifest.js';
import { versionProvenance, type Provenance } from './provenance.js';

/** A run's state, or `RUN_NOT_FOUND`. */
export async function requireRun(reader: ArtifactReader, runId: string): Promise<RunState> {
  const state = await reader.getRun(runId);
  if (state === undefined)
    throw new BatonError(ErrorCode.runNotFound, `no run "${runId}" — list runs with \`baton runs\``);
  return state;
}

/** Every stored version of `phaseId`'s output, oldest first, with where each came from. */
export async function listVersions(
  reader: ArtifactReader,
  runId: string,
  phaseId: string,
): Promise<ArtifactList> {
  const state = await requireRun(reader, runId);
  const stored = await reader.listArtifactVersions(runId, phaseId);
  if (stored.length === 0) requirePhase(state, phaseId);
  const provenance = versionProvenance(await reader.listEvents(runId), phaseId);
  return {
    runId,
    phaseId,
    versions: stored.map((version) => versionInfo(version, provenance.get(version.version))),
  };
}

/** One version of `phaseId`'s output with its content, or `RUN_NOT_FOUND` / `PHASE_NOT_FOUND`. */
export async function readVersion(
  reader: ArtifactReader,
  runId: string,
  phaseId: string,
  version: number,
): Promise<StoredArtifact> {
  const artifact = await reader.getArtifact(runId, phaseId, version);
  if (artifact !== undefined) return artifact;
  requirePhase(await requireRun(reader, runId), phaseId);
  throw new BatonError(ErrorCode.phaseNotFound, `run "${runId}" has no version ${version} of "${phaseId}"`);
}

/** A file of a file-tree version: its path as the manifest lists it, and its content. */
export async function readTreeFile(
  reader: ArtifactReader,
  runId: string,
  phaseId: string,
  version: number,
  path: string,
): Promise<{ readonly path: string; readonly text: string }> {
  const artifact = await readVersion(reader, runId, phaseId, version);
  const manifest = isFileTree(artifact.mediaType) ? readManifest(artifact.content) : undefined;
  if (manifest === undefined)
    throw new ApiError(
      ApiErrorCode.fileNotFound,
      `version ${version} of "${phaseId}" is a document (${artifact.mediaType}), not a file tree: read it whole`,
    );
  const entry = manifest.files.find((file) => file.path === path);
  if (entry === undefined) {
    const hint = suggest(
      path,
      manifest.files.map((file) => file.path),
    );
    throw new ApiError(
      ApiErrorCode.fileNotFound,
      `version ${version} of "${phaseId}" has no file "${path}"${hint === undefined ? '' : ` (did you mean "${hint}"?)`}`,
    );
  }
  return { path: entry.path, text: await requireBlob(reader, entry.sha256, path) };
}

/** A file's content by the hash its manifest gives; a missing one is a bug (`INTERNAL`). */
export async function requireBlob(reader: ArtifactReader, sha256: string, path: string): Promise<string> {
  const text = await reader.getBlob(sha256);
  if (text === undefined)
    throw new BatonError(
      ErrorCode.internal,
      `the content of "${path}" (${sha256}) is missing from the store`,
    );
  return text;
}

/** `shownVersion` (`@baton/runtime`: the version `baton show` shows) of `phaseId`, or `PHASE_NOT_FOUND` (no such phase, or no output). */
export function versionToShow(state: RunState, phaseId: string): number {
  requirePhase(state, phaseId);
  const shown = shownVersion(state.phases[phaseId]);
  if (shown === undefined)
    throw new BatonError(
      ErrorCode.phaseNotFound,
      `"${phaseId}" of run ${state.runId} has no output to show; name a version with --version N`,
    );
  return shown.version;
}

/** A stored version as the API lists it. */
export function versionInfo(
  version: Omit<ArtifactVersionRecord, 'runId' | 'phaseId'>,
  provenance: Provenance | undefined,
): ArtifactVersionInfo {
  return {
    version: version.version,
    attempt: version.attempt,
    mediaType: version.mediaType,
    size: version.size,
    sha256: version.sha256,
    createdAt: new Date(version.createdAt).toISOString(),
    source: provenance?.source ?? 'attempt',
    ...(provenance?.by === undefined ? {} : { by: provenance.by }),
    ...(provenance?.copiedFrom === undefined ? {} : { copiedFrom: provenance.copiedFrom }),
  };
}

/** `PHASE_NOT_FOUND` (with a did-you-mean) unless the run has, or had, `phaseId`. */
function requirePhase(state: RunState, phaseId: string): void {
  if (state.phases[phaseId] !== undefined || state.definitions[phaseId] !== undefined) return;
  const hint = suggest(phaseId, state.order);
  throw new BatonError(
    ErrorCode.phaseNotFound,
    `run "${state.runId}" has no phase "${phaseId}"${hint === undefined ? '' : ` (did you mean "${hint}"?)`}`,
  );
}
