/**
 * How to show a stored content, from its media type, its path (a file of a tree) and the content
 * itself: markdown rendered, code highlighted (with the language), JSON as a tree, a file tree's
 * manifest as a browsable list, a UI document as a sandboxed preview, other text as it is.
 */

/** The media type of a file tree's manifest (the engine's `FILE_TREE_MEDIA_TYPE`). */
export const FILE_TREE_MEDIA_TYPE = 'application/vnd.baton.file-tree+json';

/** The languages the highlighter is given (the rest shows unhighlighted). */
export type CodeLanguage =
  | 'typescript'
  | 'javascript'
  | 'json'
  | 'sql'
  | 'yaml'
  | 'bash'
  | 'css'
  | 'xml'
  | 'python'
  | 'go'
  | 'rust'
  | 'java'
  | 'ini';

export type ArtifactKind =
  | { readonly kind: 'markdown' }
  | { readonly kind: 'code'; readonly language: CodeLanguage }
  | { readonly kind: 'json'; readonly value: unknown }
  | { readonly kind: 'file-tree'; readonly manifest: FileTreeManifest }
  | { readonly kind: 'ui-schema'; readonly document: unknown }
  | { readonly kind: 'text' };

/** A file tree's manifest, as `…/artifacts/:version` answers it. */
export interface FileTreeManifest {
  readonly files: readonly { readonly path: string; readonly size: number; readonly mediaType: string }[];
  readonly summary?: string;
}

const BY_EXTENSION: Readonly<Record<string, CodeLanguage>> = {
  ts: 'typescript',
  tsx: 'typescript',
  mts: 'typescript',
  cts: 'typescript',
  js: 'javascript',
  jsx: 'javascript',
  mjs: 'javascript',
  cjs: 'javascript',
  json: 'json',
  sql: 'sql',
  yaml: 'yaml',
  yml: 'yaml',
  sh: 'bash',
  bash: 'bash',
  css: 'css',
  html: 'xml',
  htm: 'xml',
  xml: 'xml',
  svg: 'xml',
  py: 'python',
  go: 'go',
  rs: 'rust',
  java: 'java',
  toml: 'ini',
  ini: 'ini',
  env: 'ini',
};

const BY_MEDIA_TYPE: Readonly<Record<string, CodeLanguage>> = {
  'text/x-typescript': 'typescript',
  'text/javascript': 'javascript',
  'application/sql': 'sql',
  'application/yaml': 'yaml',
  'text/x-shellscript': 'bash',
  'text/css': 'css',
  'text/html': 'xml',
  'application/xml': 'xml',
  'image/svg+xml': 'xml',
  'text/x-python': 'python',
  'text/x-go': 'go',
  'text/x-rust': 'rust',
  'text/x-java': 'java',
  'application/toml': 'ini',
};

/** Markdown's marks: a heading, a list, a fence, a link, emphasis. */
const MARKDOWN = /^(#{1,6} |\s*[-*+] |\s*\d+\. |```|> )|\[[^\]]+\]\([^)]+\)|\*\*[^*]+\*\*/m;

/** The language of a file by its name (`src/app.ts` → typescript), if the highlighter knows it. */
export function languageOfPath(path: string): CodeLanguage | undefined {
  const name = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  if (name === 'dockerfile' || name === 'makefile') return 'bash';
  const dot = name.lastIndexOf('.');
  return dot < 0 ? undefined : BY_EXTENSION[name.slice(dot + 1)];
}

/** How to show `text`, served as `contentType` (parameters allowed), from `path` when a file. */
export function artifactKind(contentType: string, text: string, path?: string): ArtifactKind {
  const mediaType = contentType.split(';')[0]!.trim().toLowerCase();
  if (mediaType === FILE_TREE_MEDIA_TYPE) {
    const manifest = parseJson(text);
    if (isManifest(manifest)) return { kind: 'file-tree', manifest };
  }
  // A file of a tree is source: shown as code, even JSON (package.json reads best as written).
  const fileLanguage = path === undefined ? undefined : languageOfPath(path);
  if (fileLanguage !== undefined) return { kind: 'code', language: fileLanguage };
  if (mediaType === 'application/json' || mediaType.endsWith('+json')) {
    const value = parseJson(text);
    if (value !== undefined) {
      const document = uiDocumentOf(value);
      return document === undefined ? { kind: 'json', value } : { kind: 'ui-schema', document };
    }
  }
  if (mediaType === 'text/markdown') return { kind: 'markdown' };
  const language = BY_MEDIA_TYPE[mediaType];
  if (language !== undefined) return { kind: 'code', language };
  if (path !== undefined && /\.(md|markdown)$/i.test(path)) return { kind: 'markdown' };
  if (mediaType === 'text/plain' && path === undefined && MARKDOWN.test(text)) return { kind: 'markdown' };
  return { kind: 'text' };
}

/**
 * A UI document (`{version: 1, root, tokens}`), or the one an object carries as `uiSchema`; the
 * preview validates it fully.
 */
function uiDocumentOf(value: unknown): unknown {
  if (!isRecord(value)) return undefined;
  if (value.version === 1 && isRecord(value.root) && isRecord(value.tokens)) return value;
  return isRecord(value.uiSchema) ? uiDocumentOf(value.uiSchema) : undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isManifest(value: unknown): value is FileTreeManifest {
  return (
    isRecord(value) &&
    Array.isArray(value.files) &&
    value.files.every((file) => isRecord(file) && typeof file.path === 'string')
  );
}
