/**
 * One stored content, shown by its kind (`artifact-kind.ts`): markdown rendered, code
 * highlighted, JSON as a tree, a file tree browsable, a UI document previewed, text as it is.
 */
import { lazy, Suspense } from 'react';
import { artifactKind } from './artifact-kind.js';
import { CodeView } from './code-view.js';
import { FileTreeView, type TreeAddress } from './file-tree-view.js';
import { JsonTree } from './json-tree.js';
import { UiPreview } from './ui-preview.js';

/** The markdown renderer (unified and its plugins) loads with the first markdown shown. */
const MarkdownView = lazy(() =>
  import('./markdown-view.js').then((module) => ({ default: module.MarkdownView })),
);

interface ArtifactBodyProps {
  readonly contentType: string;
  readonly text: string;
  /** What it is, for screen readers: `spec, version 2`. */
  readonly label: string;
  /** A file of a tree: its path (picks the language). */
  readonly path?: string;
  /** Where a file tree's files are read from. */
  readonly tree?: TreeAddress;
}

export function ArtifactBody({ contentType, text, label, path, tree }: ArtifactBodyProps) {
  const kind = artifactKind(contentType, text, path);
  switch (kind.kind) {
    case 'markdown':
      return (
        <Suspense fallback={<pre className="output">{text}</pre>}>
          <MarkdownView text={text} />
        </Suspense>
      );
    case 'code':
      return <CodeView code={text} language={kind.language} label={label} />;
    case 'json':
      return <JsonTree value={kind.value} label={label} />;
    case 'ui-schema':
      return (
        <>
          <UiPreview document={kind.document} title={`Preview of ${label}`} />
          <details className="source">
            <summary>The UI document</summary>
            <JsonTree value={kind.document} label={`${label}, UI document`} openDepth={1} />
          </details>
        </>
      );
    case 'file-tree':
      return tree === undefined ? (
        <JsonTree value={kind.manifest} label={label} />
      ) : (
        <FileTreeView
          manifest={kind.manifest}
          address={tree}
          render={(content) => <ArtifactBody {...content} />}
        />
      );
    case 'text':
      return (
        <pre className="output" tabIndex={0} aria-label={label}>
          {text}
        </pre>
      );
  }
}
