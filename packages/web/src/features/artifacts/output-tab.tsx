/**
 * A phase's output, any stored version of it (the newest first shown), rendered by its kind.
 */
import { useId, useState } from 'react';
import type { ArtifactVersionInfo } from '@baton/client';
import { api } from '../../api.js';
import { ErrorNote } from '../../components/error-note.js';
import { useAsync } from '../../components/use-async.js';
import { ArtifactBody } from './artifact-body.js';
import { versionLabel } from './use-versions.js';

interface OutputTabProps {
  readonly runId: string;
  readonly phaseId: string;
  readonly versions: readonly ArtifactVersionInfo[];
}

export function OutputTab({ runId, phaseId, versions }: OutputTabProps) {
  const id = useId();
  const newest = versions.at(-1)?.version ?? 1;
  const [picked, setPicked] = useState<number | null>(null);
  const version = picked !== null && versions.some((v) => v.version === picked) ? picked : newest;
  const content = useAsync(`${runId}/${phaseId}/${version}`, (signal) =>
    api.artifacts.content(runId, phaseId, version, { signal }),
  );
  return (
    <div className="output-tab">
      {versions.length < 2 ? (
        <p className="meta">{versions[0] === undefined ? null : versionLabel(versions[0])}</p>
      ) : (
        <div className="field inline">
          <label htmlFor={`${id}-version`}>Version</label>
          <select
            id={`${id}-version`}
            value={version}
            onChange={(event) => setPicked(Number(event.target.value))}
          >
            {[...versions].reverse().map((info) => (
              <option key={info.version} value={info.version}>
                {versionLabel(info)}
              </option>
            ))}
          </select>
        </div>
      )}
      {content.status === 'loading' ? (
        <p className="hint">Loading version {version}…</p>
      ) : content.status === 'error' ? (
        <ErrorNote title={`Could not read version ${version}`} message={content.message} />
      ) : (
        <ArtifactBody
          contentType={content.value.contentType}
          text={content.value.text}
          label={`${phaseId}, version ${version}`}
          tree={{ runId, phaseId, version }}
        />
      )}
    </div>
  );
}
