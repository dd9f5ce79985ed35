/**
 * Code, highlighted: shown plain at once, then highlighted when the highlighter (a chunk of its
 * own) has loaded, in the same box so nothing moves.
 */
import { useEffect, useState } from 'react';
import type { CodeLanguage } from './artifact-kind.js';

interface CodeViewProps {
  readonly code: string;
  readonly language: CodeLanguage;
  readonly label: string;
}

export function CodeView({ code, language, label }: CodeViewProps) {
  const [html, setHtml] = useState<{ code: string; html: string } | null>(null);
  useEffect(() => {
    let live = true;
    void import('./highlight.js').then(({ highlight }) => {
      const marked = highlight(code, language);
      if (live && marked !== undefined) setHtml({ code, html: marked });
    });
    return () => {
      live = false;
    };
  }, [code, language]);
  return (
    <pre className="code" tabIndex={0} aria-label={label} data-language={language}>
      {html !== null && html.code === code ? (
        // highlight.js escapes the code; its markup is only spans with class names.
        <code className="hljs" dangerouslySetInnerHTML={{ __html: html.html }} />
      ) : (
        <code>{code}</code>
      )}
    </pre>
  );
}
