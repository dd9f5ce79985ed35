/**
 * The stored versions of a phase's output (`GET …/artifacts`), read again whenever the run's view
 * counts a different number of them (a new attempt, an edit).
 */
import type { ArtifactVersionInfo } from '@baton/client';
import { api } from '../../api.js';
import { useAsync, type AsyncState } from '../../components/use-async.js';

export function useVersions(
  runId: string,
  phaseId: string,
  count: number,
): AsyncState<readonly ArtifactVersionInfo[]> {
  return useAsync(count === 0 ? null : `${runId}/${phaseId}/${count}`, async (signal) => {
    const list = await api.artifacts.list(runId, phaseId, { signal });
    return list.versions;
  });
}

/** `Version 2 · edited by ada@example.com` — what a version is, for a picker. */
export function versionLabel(info: ArtifactVersionInfo): string {
  const made =
    info.source === 'attempt'
      ? `attempt ${info.attempt}`
      : info.source === 'edit'
        ? `edited${info.by === undefined ? '' : ` by ${info.by}`}`
        : info.source === 'submission'
          ? `submitted${info.by === undefined ? '' : ` by ${info.by}`}`
          : `copied from ${info.copiedFrom?.runId ?? 'another run'}`;
  return `Version ${info.version} · ${made}`;
}
