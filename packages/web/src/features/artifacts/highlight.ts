/**
 * The code highlighter: highlight.js's core with the languages `artifact-kind.ts` names, loaded
 * on first use (`code-view.tsx` imports this module lazily), so the first page stays small.
 * highlight.js escapes the code it marks up; its HTML holds only `<span class="hljs-…">`.
 */
import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import css from 'highlight.js/lib/languages/css';
import go from 'highlight.js/lib/languages/go';
import ini from 'highlight.js/lib/languages/ini';
import java from 'highlight.js/lib/languages/java';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import python from 'highlight.js/lib/languages/python';
import rust from 'highlight.js/lib/languages/rust';
import sql from 'highlight.js/lib/languages/sql';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';
import type { CodeLanguage } from './artifact-kind.js';

const LANGUAGES: Readonly<Record<CodeLanguage, Parameters<typeof hljs.registerLanguage>[1]>> = {
  bash,
  css,
  go,
  ini,
  java,
  javascript,
  json,
  python,
  rust,
  sql,
  typescript,
  xml,
  yaml,
};
for (const [name, language] of Object.entries(LANGUAGES)) hljs.registerLanguage(name, language);

/** Code longer than this is shown plain: highlighting it would hold the page up. */
const MAX_CHARS = 200_000;

/** `code` as highlighted HTML (escaped), or undefined when it is too long to highlight. */
export function highlight(code: string, language: CodeLanguage): string | undefined {
  if (code.length > MAX_CHARS) return undefined;
  return hljs.highlight(code, { language, ignoreIllegals: true }).value;
}
