import { createWriteStream } from 'node:fs';
import { access, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { zipRunArchive } from '@baton/server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { extractZip } from './zip-extract.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'baton-unzip-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A zip of `files` (path → text) at `dir/run.zip`, made as the server makes a run's. */
async function zipOf(files: Record<string, string>): Promise<string> {
  const file = path.join(dir, 'run.zip');
  const entries = Object.entries(files).map(([name, text]) => ({
    path: name,
    mtime: new Date(0),
    read: () => Promise.resolve(text),
  }));
  await pipeline(zipRunArchive({ runId: 'r', filename: 'r.zip', entries }), createWriteStream(file));
  return file;
}

/**
 * A zip whose entries have names the server never writes (yazl refuses them): made with `safe`
 * names of the same length, then each one's bytes replaced by its `evil` name's in the local
 * header and the central directory (the CRCs cover contents, not names).
 */
async function zipWithNames(
  names: readonly { safe: string; evil?: string; text: string }[],
): Promise<string> {
  const file = await zipOf(Object.fromEntries(names.map((entry) => [entry.safe, entry.text])));
  const bytes = await readFile(file);
  for (const { safe, evil } of names) {
    if (evil === undefined) continue;
    expect(evil.length).toBe(safe.length);
    const from = Buffer.from(safe);
    const to = Buffer.from(evil);
    let at = bytes.indexOf(from);
    let found = 0;
    while (at !== -1) {
      to.copy(bytes, at);
      found += 1;
      at = bytes.indexOf(from, at + 1);
    }
    expect(found).toBe(2);
  }
  await writeFile(file, bytes);
  return file;
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

describe('extracting a run’s zip', () => {
  it('writes every file under the directory, making its directories', async () => {
    const zip = await zipOf({ 'baton-run.json': '{}', 'code/src/a.ts': 'a', 'notes.md': 'n' });
    const out = path.join(dir, 'out');
    await mkdir(out);
    expect(await extractZip(zip, out, false)).toEqual(['baton-run.json', 'code/src/a.ts', 'notes.md']);
    expect(await readFile(path.join(out, 'code/src/a.ts'), 'utf8')).toBe('a');
  });

  it('replaces an existing file only when asked to', async () => {
    const zip = await zipOf({ 'notes.md': 'new' });
    const out = path.join(dir, 'out');
    await mkdir(out);
    await writeFile(path.join(out, 'notes.md'), 'old');
    await expect(extractZip(zip, out, false)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(await readFile(path.join(out, 'notes.md'), 'utf8')).toBe('old');
    await extractZip(zip, out, true);
    expect(await readFile(path.join(out, 'notes.md'), 'utf8')).toBe('new');
  });

  it('never writes through a symbolic link: a directory that leads outside, or a file that is a link', async () => {
    const outside = path.join(dir, 'outside');
    const out = path.join(dir, 'out');
    await mkdir(outside);
    await mkdir(out);
    await symlink(outside, path.join(out, 'code'));
    await writeFile(path.join(outside, 'target.md'), 'keep');
    await symlink(path.join(outside, 'target.md'), path.join(out, 'notes.md'));
    await expect(extractZip(await zipOf({ 'code/a.ts': 'x' }), out, true)).rejects.toThrow(
      /outside the directory/,
    );
    await expect(extractZip(await zipOf({ 'code/src/deep/a.ts': 'x' }), out, true)).rejects.toMatchObject({
      code: 'UNSAFE_ZIP_ENTRY',
    });
    await expect(extractZip(await zipOf({ 'notes.md': 'x' }), out, true)).rejects.toThrow(/symbolic link/);
    expect(await readFile(path.join(outside, 'target.md'), 'utf8')).toBe('keep');
    // Not even a directory was made where the link leads.
    expect(await readdir(outside)).toEqual(['target.md']);
  });

  it('follows a symbolic link that stays inside the directory', async () => {
    const out = path.join(dir, 'out');
    await mkdir(path.join(out, 'real'), { recursive: true });
    await symlink(path.join(out, 'real'), path.join(out, 'code'));
    await extractZip(await zipOf({ 'code/src/a.ts': 'x' }), out, false);
    expect(await readFile(path.join(out, 'real/src/a.ts'), 'utf8')).toBe('x');
  });

  it.each([
    { what: 'a `..` part', safe: 'xx/evil.txt', evil: '../evil.txt' },
    { what: 'a `..` part after a directory', safe: 'a/xx/xx/evil.txt', evil: 'a/../../evil.txt' },
    { what: 'an absolute name', safe: 'x' + dir0('evil.txt'), evil: '/' + dir0('evil.txt') },
    { what: 'a backslash', safe: 'xxxevil.txt', evil: '..\\evil.txt' },
    { what: 'a drive letter', safe: 'xx/evil.txt', evil: 'C:/evil.txt' },
  ])(
    'refuses an entry whose name has $what (zip-slip): UNSAFE_ZIP_ENTRY, nothing after it written',
    async ({ safe, evil }) => {
      const out = path.join(dir, 'out');
      await mkdir(out);
      const zip = await zipWithNames([
        { safe: 'before.md', text: 'b' },
        { safe, evil, text: 'pwned' },
        { safe: 'after.md', text: 'a' },
      ]);
      const refused = extractZip(zip, out, true);
      await expect(refused).rejects.toMatchObject({ code: 'UNSAFE_ZIP_ENTRY' });
      await expect(refused).rejects.toThrow(/the zip's entry ".*evil\.txt" was not written/);
      expect(await readFile(path.join(out, 'before.md'), 'utf8')).toBe('b');
      expect(await exists(path.join(out, 'after.md'))).toBe(false);
      expect(await exists(path.join(dir, 'evil.txt'))).toBe(false);
      expect(await exists(path.join('/', dir0('evil.txt')))).toBe(false);
    },
  );
});

/** `name` under a made-up top directory, for an absolute entry name of a fixed length. */
function dir0(name: string): string {
  return `baton-zip-slip-test/${name}`;
}
