/**
 * The `Content-Type` an artifact or a file of a file tree is served with. Every stored content is
 * UTF-8 text, so each type says `charset=utf-8`. A version answers its own media type; a file of a
 * tree a type guessed from its extension, `text/plain` for anything unknown.
 */
import { FILE_TREE_MEDIA_TYPE } from '@baton/engine';

const BY_EXTENSION: ReadonlyMap<string, string> = new Map(
  Object.entries({
    md: 'text/markdown',
    markdown: 'text/markdown',
    txt: 'text/plain',
    json: 'application/json',
    js: 'text/javascript',
    mjs: 'text/javascript',
    cjs: 'text/javascript',
    ts: 'text/x-typescript',
    tsx: 'text/x-typescript',
    mts: 'text/x-typescript',
    cts: 'text/x-typescript',
    jsx: 'text/javascript',
    html: 'text/html',
    htm: 'text/html',
    css: 'text/css',
    csv: 'text/csv',
    svg: 'image/svg+xml',
    xml: 'application/xml',
    yaml: 'application/yaml',
    yml: 'application/yaml',
    toml: 'application/toml',
    sql: 'application/sql',
    sh: 'text/x-shellscript',
    py: 'text/x-python',
    go: 'text/x-go',
    rs: 'text/x-rust',
    java: 'text/x-java',
  }),
);

/** The `Content-Type` of a stored version of `mediaType`. */
export function versionContentType(mediaType: string): string {
  const known = mediaType === 'application/json' || mediaType === FILE_TREE_MEDIA_TYPE;
  return `${known || mediaType.startsWith('text/') ? mediaType : 'text/plain'}; charset=utf-8`;
}

/** The `Content-Type` of a file of a tree, by the extension of its path. */
export function fileContentType(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  const type = dot <= 0 ? undefined : BY_EXTENSION.get(name.slice(dot + 1).toLowerCase());
  return `${type ?? 'text/plain'}; charset=utf-8`;
}
