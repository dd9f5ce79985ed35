import { describe, expect, it } from 'vitest';
import { fileContentType, versionContentType } from './content-type.js';

describe('content types', () => {
  it('types a file by its extension, text/plain for an unknown or missing one, always UTF-8', () => {
    expect(fileContentType('src/export.ts')).toBe('text/x-typescript; charset=utf-8');
    expect(fileContentType('README.MD')).toBe('text/markdown; charset=utf-8');
    expect(fileContentType('site/index.html')).toBe('text/html; charset=utf-8');
    expect(fileContentType('Makefile')).toBe('text/plain; charset=utf-8');
    expect(fileContentType('.env')).toBe('text/plain; charset=utf-8');
    expect(fileContentType('a.constructor')).toBe('text/plain; charset=utf-8');
    expect(fileContentType('dir.d/file')).toBe('text/plain; charset=utf-8');
  });

  it('serves a version with its own media type', () => {
    expect(versionContentType('text/plain')).toBe('text/plain; charset=utf-8');
    expect(versionContentType('application/json')).toBe('application/json; charset=utf-8');
    expect(versionContentType('application/vnd.baton.file-tree+json')).toBe(
      'application/vnd.baton.file-tree+json; charset=utf-8',
    );
    expect(versionContentType('application/x-unknown')).toBe('text/plain; charset=utf-8');
  });
});
