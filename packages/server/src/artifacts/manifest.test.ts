import { describe, expect, it } from 'vitest';
import { readManifest } from './manifest.js';

const file = (path: string) => ({ path, sha256: 'a'.repeat(64), size: 1, mediaType: 'text/plain' });
const manifest = (...paths: string[]) => JSON.stringify({ files: paths.map(file), summary: 'done' });

describe('a file tree’s manifest', () => {
  it('reads a valid manifest', () => {
    expect(readManifest(manifest('a.md', 'src/b.ts'))).toEqual({
      files: [file('a.md'), file('src/b.ts')],
      summary: 'done',
    });
  });

  it('refuses any path that is not a plain relative one, a path listed twice, and what is not a manifest', () => {
    for (const path of ['../a', 'a/../b', '/etc/passwd', 'a//b', './a', 'a/', 'C:/x', 'a\\b', 'a\nb', ''])
      expect(readManifest(manifest(path)), JSON.stringify(path)).toBeUndefined();
    expect(readManifest(manifest('a', 'a'))).toBeUndefined();
    for (const text of [
      'not json',
      '[]',
      '{"files": {}}',
      '{"files": [{"path": "a"}]}',
      '{"files": [], "summary": 3}',
    ])
      expect(readManifest(text), text).toBeUndefined();
  });
});
