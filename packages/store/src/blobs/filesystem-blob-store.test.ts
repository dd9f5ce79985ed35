import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blobKey } from '@baton/engine';
import { blobStoreContract } from '@baton/engine/testing';
import { createFilesystemBlobStore } from './filesystem-blob-store.js';

let root: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'baton-blobs-'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

blobStoreContract('filesystem', {
  open: (clock) => Promise.resolve(createFilesystemBlobStore({ dir: root, clock })),
});

function sha(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

describe('the filesystem blob store', () => {
  it('keeps a content as one file at <dir>/<tenant>/<sha256>, the same content twice as one file', async () => {
    const dir = path.join(root, 'layout');
    const store = createFilesystemBlobStore({ dir });
    const text = 'a large content';
    await store.put(blobKey('acme', sha(text)), Buffer.from(text));
    await store.put(blobKey('acme', sha(text)), Buffer.from(text));
    expect(await readdir(path.join(dir, 'acme'))).toEqual([sha(text)]);
    expect(await readFile(path.join(dir, 'acme', sha(text)), 'utf8')).toBe(text);
  });

  it('never shows a file a crash left half written, and writes the whole content over it later', async () => {
    const dir = path.join(root, 'crash');
    const store = createFilesystemBlobStore({ dir });
    const text = 'the whole content, of which a crash wrote only a part';
    const key = blobKey('acme', sha(text));
    // What a process killed between its write of the temporary file and the rename leaves.
    await mkdir(path.join(dir, 'acme'), { recursive: true });
    await writeFile(path.join(dir, 'acme', `.${sha(text)}.0123456789ab.tmp`), text.slice(0, 10));
    expect(await store.has(key)).toBe(false);
    expect(await store.get(key)).toBeUndefined();
    expect(await store.stream(key)).toBeUndefined();
    await store.put(key, Buffer.from(text));
    expect(Buffer.from((await store.get(key))!).toString('utf8')).toBe(text);
  });

  it('lists only contents: not temporary files, files of other names, or directories that are no tenant’s', async () => {
    const dir = path.join(root, 'listing');
    const store = createFilesystemBlobStore({ dir });
    const text = 'listed';
    await store.put(blobKey('acme', sha(text)), Buffer.from(text));
    await store.put(blobKey('tenant with spaces', sha(text)), Buffer.from(text));
    await writeFile(path.join(dir, 'acme', `.${sha(text)}.0123456789ab.tmp`), 'half');
    await writeFile(path.join(dir, 'acme', `.${sha(text)}.0123456789ab.sweep`), 'aside');
    await writeFile(path.join(dir, 'acme', 'notes.txt'), 'not a content');
    await mkdir(path.join(dir, '.hidden-dir'), { recursive: true });
    await writeFile(path.join(dir, 'stray-file'), 'not a tenant');
    const keys: string[] = [];
    for await (const entry of store.list()) keys.push(entry.key);
    expect(keys.sort()).toEqual([`acme/${sha(text)}`, `tenant with spaces/${sha(text)}`]);
    const spaced: string[] = [];
    for await (const entry of store.list('tenant with spaces')) spaced.push(entry.key);
    expect(spaced).toEqual([`tenant with spaces/${sha(text)}`]);
  });

  it('lists nothing, and deletes nothing, in a directory that does not exist yet', async () => {
    const store = createFilesystemBlobStore({ dir: path.join(root, 'not-yet') });
    const keys: string[] = [];
    for await (const entry of store.list()) keys.push(entry.key);
    for await (const entry of store.list('acme')) keys.push(entry.key);
    expect(keys).toEqual([]);
    expect(await store.deleteIfPutBefore(blobKey('acme', sha('x')), Number.MAX_SAFE_INTEGER)).toBe(false);
  });

  it('keeps a tenant id that is not a plain name inside its directory', async () => {
    const dir = path.join(root, 'names');
    const store = createFilesystemBlobStore({ dir });
    const text = 'x';
    await store.put(blobKey('../escape', sha(text)), Buffer.from(text));
    await store.put(blobKey('.hidden', sha(text)), Buffer.from(text));
    const names = (await readdir(dir)).sort();
    expect(names).toEqual(
      [`~${Buffer.from('.hidden').toString('hex')}`, `~${Buffer.from('../escape').toString('hex')}`].sort(),
    );
    expect(await readdir(root)).not.toContain('escape');
  });
});
