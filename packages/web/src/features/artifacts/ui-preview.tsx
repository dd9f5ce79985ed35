/**
 * A UI document's preview: `@baton/ui-schema`'s `renderHtml` (browser-safe, loaded on first use)
 * in an `<iframe sandbox>` — no scripts, no same origin, so nothing in it reaches the page.
 * A document that does not validate shows its problems instead.
 */
import { useEffect, useState } from 'react';
import { ErrorNote } from '../../components/error-note.js';
import { messageOf } from '../../app/session.js';

type Rendered = { readonly html: string } | { readonly error: string };

export function UiPreview({ document, title }: { readonly document: unknown; readonly title: string }) {
  const [rendered, setRendered] = useState<{ document: unknown; result: Rendered } | null>(null);
  useEffect(() => {
    let live = true;
    void import('@baton/ui-schema').then(({ renderHtml }) => {
      let result: Rendered;
      try {
        result = { html: renderHtml(document as Parameters<typeof renderHtml>[0], { title }) };
      } catch (error) {
        result = { error: messageOf(error) };
      }
      if (live) setRendered({ document, result });
    });
    return () => {
      live = false;
    };
  }, [document, title]);
  if (rendered === null || rendered.document !== document)
    return <p className="hint">Rendering the preview…</p>;
  if ('error' in rendered.result)
    return <ErrorNote title="The UI document does not render" message={rendered.result.error} />;
  return <iframe className="ui-preview" sandbox="" srcDoc={rendered.result.html} title={title} />;
}
