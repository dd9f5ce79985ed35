/**
 * The diff between two versions of a phase's output (`GET …/artifacts/diff`), the previous and
 * the newest at first; either side can be any version. Text (JSON pretty-printed) is one diff; a
 * file tree, one per file that changed.
 */
import { useId, useState } from 'react';
import type { ArtifactDiff, ArtifactVersionInfo } from '@baton/client';
import { api } from '../../api.js';
import { ErrorNote } from '../../components/error-note.js';
import { useAsync } from '../../components/use-async.js';
import { DiffView } from './diff-view.js';
import { versionLabel } from './use-versions.js';

interface ChangesTabProps {
  readonly runId: string;
  readonly phaseId: string;
  readonly versions: readonly ArtifactVersionInfo[];
}

export function ChangesTab({ runId, phaseId, versions }: ChangesTabProps) {
  const id = useId();
  const numbers = versions.map((info) => info.version);
  const newest = numbers.at(-1) ?? 1;
  const [picked, setPicked] = useState<{ from: number; to: number } | null>(null);
  const valid = picked !== null && numbers.includes(picked.from) && numbers.includes(picked.to);
  const { from, to } = valid ? picked : { from: numbers.at(-2) ?? newest, to: newest };
  const diff = useAsync(from === to ? null : `${runId}/${phaseId}/${from}..${to}`, (signal) =>
    api.artifacts.diff(runId, phaseId, { from, to }, { signal }),
  );
  if (versions.length < 2) return <p className="hint">There is one version: nothing to compare yet.</p>;
  const picker = (side: 'from' | 'to', label: string) => (
    <div className="field inline">
      <label htmlFor={`${id}-${side}`}>{label}</label>
      <select
        id={`${id}-${side}`}
        value={side === 'from' ? from : to}
        onChange={(event) => setPicked({ from, to, [side]: Number(event.target.value) })}
      >
        {versions.map((info) => (
          <option key={info.version} value={info.version}>
            {versionLabel(info)}
          </option>
        ))}
      </select>
    </div>
  );
  return (
    <div className="changes-tab">
      <div className="version-pickers">
        {picker('from', 'Compare')}
        {picker('to', 'with')}
      </div>
      {from === to ? (
        <p className="hint">Pick two different versions to compare.</p>
      ) : diff.status === 'loading' ? (
        <p className="hint">Comparing…</p>
      ) : diff.status === 'error' ? (
        <ErrorNote title="Could not compare the versions" message={diff.message} />
      ) : (
        <DiffBody diff={diff.value} />
      )}
    </div>
  );
}

function DiffBody({ diff }: { readonly diff: ArtifactDiff }) {
  const title = `Changes in ${diff.phaseId} from version ${diff.from.version} to ${diff.to.version}`;
  if (diff.kind === 'text') return <DiffView patch={diff.patch} label={title} />;
  if (diff.files.length === 0) return <p className="hint">No file changed.</p>;
  return (
    <ul className="file-changes" aria-label={title}>
      {diff.files.map((file) => (
        <li key={file.path}>
          <details open={diff.files.length <= 5}>
            <summary>
              <span className={`change change-${file.change}`}>{file.change}</span> {file.path}
            </summary>
            {file.patch === undefined ? (
              <p className="hint">Too large to show here: download the run to compare.</p>
            ) : (
              <DiffView patch={file.patch} label={`Changes in ${file.path}`} />
            )}
          </details>
        </li>
      ))}
    </ul>
  );
}
