import { describe, expect, it } from 'vitest';
import { PRICING_CARD_EXAMPLE } from '@baton/ui-schema';
import { artifactKind, FILE_TREE_MEDIA_TYPE, languageOfPath } from './artifact-kind.js';

describe('artifactKind', () => {
  it('shows JSON as a tree and a UI document, bare or as `uiSchema`, as a preview', () => {
    expect(artifactKind('application/json; charset=utf-8', '{"title":"x"}')).toEqual({
      kind: 'json',
      value: { title: 'x' },
    });
    const ui = JSON.stringify(PRICING_CARD_EXAMPLE);
    expect(artifactKind('application/json', ui).kind).toBe('ui-schema');
    expect(artifactKind('application/json', `{"uiSchema": ${ui}, "notes": "v2"}`)).toEqual({
      kind: 'ui-schema',
      document: PRICING_CARD_EXAMPLE,
    });
  });

  it('reads a file tree’s manifest, and shows a broken one as text', () => {
    const manifest = { files: [{ path: 'src/a.ts', sha256: 'x', size: 3, mediaType: 'text/x-typescript' }] };
    expect(artifactKind(FILE_TREE_MEDIA_TYPE, JSON.stringify(manifest))).toEqual({
      kind: 'file-tree',
      manifest,
    });
    expect(artifactKind(FILE_TREE_MEDIA_TYPE, '{"files": 3}').kind).toBe('json');
    expect(artifactKind('application/json', 'not json').kind).toBe('text');
  });

  it('highlights code by the file’s extension first, then by its media type', () => {
    expect(artifactKind('text/plain', 'x', 'src/app.ts')).toEqual({ kind: 'code', language: 'typescript' });
    expect(artifactKind('application/sql', 'select 1')).toEqual({ kind: 'code', language: 'sql' });
    expect(artifactKind('text/plain', 'FROM node', 'Dockerfile')).toEqual({ kind: 'code', language: 'bash' });
    // A file of a tree is source, JSON included.
    expect(artifactKind('application/json', '{}', 'package.json')).toEqual({
      kind: 'code',
      language: 'json',
    });
    expect(languageOfPath('migrations/0001_init.SQL')).toBe('sql');
    expect(languageOfPath('LICENSE')).toBeUndefined();
  });

  it('renders markdown by type or name, and plain text as markdown only when it looks like it', () => {
    expect(artifactKind('text/markdown', 'hello').kind).toBe('markdown');
    expect(artifactKind('text/plain', '# Title\n\nBody', 'README.md').kind).toBe('markdown');
    expect(artifactKind('text/plain', 'I built:\n- the API\n- the tests').kind).toBe('markdown');
    expect(artifactKind('text/plain', 'All done, nothing to add.').kind).toBe('text');
    expect(artifactKind('text/plain', '# not markdown', 'notes.txt').kind).toBe('text');
  });
});
