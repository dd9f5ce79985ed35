/**
 * A file tree an agent wrote: its files as a list (the selected one marked), and the selected
 * file's content shown by its kind (code highlighted by its extension, markdown rendered).
 */
import { useState, type ReactNode } from 'react';
import { api } from '../../api.js';
import { ErrorNote } from '../../components/error-note.js';
import { useAsync } from '../../components/use-async.js';
import type { FileTreeManifest } from './artifact-kind.js';

/** The version a tree is read from. */
export interface TreeAddress {
  readonly runId: string;
  readonly phaseId: string;
  readonly version: number;
}

/** How a file (or the tree's summary, as markdown) is shown: `ArtifactBody`, passed in. */
type RenderContent = (content: {
  readonly contentType: string;
  readonly text: string;
  readonly label: string;
  readonly path?: string;
}) => ReactNode;

interface FileTreeViewProps {
  readonly manifest: FileTreeManifest;
  readonly address: TreeAddress;
  readonly render: RenderContent;
}

export function FileTreeView({ manifest, address, render }: FileTreeViewProps) {
  const files = [...manifest.files].sort((a, b) => a.path.localeCompare(b.path));
  const [selected, setSelected] = useState<string | null>(files[0]?.path ?? null);
  const { runId, phaseId, version } = address;
  const file = useAsync(selected === null ? null : `${runId}/${phaseId}/${version}/${selected}`, (signal) =>
    api.artifacts.file(runId, phaseId, version, selected!, { signal }),
  );
  if (files.length === 0) return <p className="hint">The tree holds no files.</p>;
  return (
    <div className="file-tree">
      {manifest.summary === undefined
        ? null
        : render({ contentType: 'text/markdown', text: manifest.summary, label: `Summary of ${phaseId}` })}
      <nav aria-label={`Files of ${phaseId}, version ${version}`}>
        <ul className="file-list">
          {files.map((entry) => (
            <li key={entry.path}>
              <button
                type="button"
                className="file"
                aria-current={entry.path === selected ? 'true' : undefined}
                onClick={() => setSelected(entry.path)}
              >
                <span className="file-path">{entry.path}</span>
                <span className="file-size">{formatSize(entry.size)}</span>
              </button>
            </li>
          ))}
        </ul>
      </nav>
      {selected === null ? null : (
        <section className="file-content" aria-label={selected}>
          <h4>{selected}</h4>
          {file.status === 'loading' ? (
            <p className="hint">Loading {selected}…</p>
          ) : file.status === 'error' ? (
            <ErrorNote title={`Could not read ${selected}`} message={file.message} />
          ) : (
            render({
              contentType: file.value.contentType,
              text: file.value.text,
              path: selected,
              label: selected,
            })
          )}
        </section>
      )}
    </div>
  );
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
