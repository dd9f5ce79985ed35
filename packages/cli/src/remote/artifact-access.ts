/**
 * A run's artifacts, wherever the command acts: on the database itself (the home, or
 * `--database-url`), where it calls the same functions the server's artifacts routes call
 * (`@baton/server/artifacts`), or through a server (its socket, or `--server URL`), where it calls those
 * routes. Either way `baton cat`, `baton diff` and `baton download` get the same answers.
 */
import { Readable } from 'node:stream';
import type { ArtifactDiff } from '@baton/client';
import type { RunState } from '@baton/engine';
import {
  diffVersions,
  planRunArchive,
  readTreeFile,
  readVersion,
  zipRunArchive,
} from '@baton/server/artifacts';
import { openHomeForReading } from '../home.js';
import { remoteTarget, type ServerFlags } from './target.js';

export interface ArtifactAccess {
  /** The run's state, or undefined when there is no such run. */
  getRun(runId: string): Promise<RunState | undefined>;
  /** One version's content as stored (a file tree: its manifest). */
  content(runId: string, phaseId: string, version: number): Promise<string>;
  /** One file of a file-tree version. */
  file(runId: string, phaseId: string, version: number, path: string): Promise<string>;
  diff(runId: string, phaseId: string, from: number, to: number): Promise<ArtifactDiff>;
  /** The run as a zip laid out as a project, streamed. */
  zip(runId: string): Promise<Readable>;
  /** Releases the home (after any stream it handed out has been read). */
  close(): Promise<void>;
}

/** The artifacts of the place `flags` name. */
export async function artifactAccess(flags: ServerFlags): Promise<ArtifactAccess> {
  const remote = await remoteTarget(flags);
  if (remote !== undefined) {
    const { client, reader } = remote;
    return {
      getRun: (runId) => reader.getRun(runId),
      content: async (runId, phaseId, version) =>
        (await client.artifacts.content(runId, phaseId, version)).text,
      file: async (runId, phaseId, version, path) =>
        (await client.artifacts.file(runId, phaseId, version, path)).text,
      diff: (runId, phaseId, from, to) => client.artifacts.diff(runId, phaseId, { from, to }),
      zip: async (runId) => Readable.fromWeb((await client.artifacts.download(runId)).body),
      // The reader may have opened the home (the socket's holder stopped): close it, or it keeps the process.
      close: () => remote.close(),
    };
  }
  const home = await openHomeForReading(flags);
  const store = home.store;
  return {
    getRun: (runId) => store.getRun(runId),
    content: async (runId, phaseId, version) => (await readVersion(store, runId, phaseId, version)).content,
    file: async (runId, phaseId, version, path) =>
      (await readTreeFile(store, runId, phaseId, version, path)).text,
    diff: (runId, phaseId, from, to) => diffVersions(store, runId, phaseId, from, to),
    zip: async (runId) => zipRunArchive(await planRunArchive(store, runId)),
    close: () => home.close(),
  };
}
