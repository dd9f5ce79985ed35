/**
 * Writes the files of a zip (a run's download) under a directory, with yauzl. A zip from a server
 * is not trusted to stay inside the directory (zip-slip): every entry's name must be a plain
 * relative path — yauzl refuses absolute ones, `\\` and `..` parts, and so does this — and nothing
 * is written through a symbolic link: a file's directory must resolve inside the target, and an
 * existing file at its place must not be a link. Each refusal is `UNSAFE_ZIP_ENTRY`, naming the
 * entry; the files before it stay written. Existing files are replaced only with `overwrite`.
 */
import { createWriteStream } from 'node:fs';
import { lstat, mkdir, realpath } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { BatonError, ErrorCode } from '@baton/engine';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { CliError, CliErrorCode } from './cli-error.js';

/** How yauzl refuses an entry's name (its `validateFileName`): the name follows the colon. */
const YAUZL_UNSAFE_NAME = /^(?:invalid characters in fileName|absolute path|invalid relative path): (.*)$/s;

/** Extracts `zipPath` under `dir` (which exists); answers the files written, in the zip's order. */
export async function extractZip(zipPath: string, dir: string, overwrite: boolean): Promise<string[]> {
  const root = await realpath(dir);
  const zip = await new Promise<ZipFile>((resolve, reject) =>
    yauzl.open(zipPath, { lazyEntries: true, autoClose: true }, (error, file) =>
      error === null ? resolve(file) : reject(error),
    ),
  );
  const written: string[] = [];
  await new Promise<void>((resolve, reject) => {
    const fail = (error: unknown) => {
      zip.close();
      reject(fromYauzl(error));
    };
    zip.on('error', fail);
    zip.on('end', () => resolve());
    zip.on('entry', (entry: Entry) => {
      writeEntry(zip, entry, root, overwrite).then((name) => {
        if (name !== undefined) written.push(name);
        zip.readEntry();
      }, fail);
    });
    zip.readEntry();
  });
  return written;
}

async function writeEntry(
  zip: ZipFile,
  entry: Entry,
  root: string,
  overwrite: boolean,
): Promise<string | undefined> {
  const name = entry.fileName;
  const parts = name.split('/');
  if (
    name.startsWith('/') ||
    /^[a-zA-Z]:/.test(name) ||
    name.includes('\\') ||
    parts.some((part) => part === '..' || part === '.')
  )
    throw unsafe(name);
  await makeDirs(
    root,
    parts.slice(0, -1).filter((part) => part !== ''),
    name,
  );
  if (name.endsWith('/')) return undefined;
  const target = path.join(root, ...parts);
  const existing = await lstat(target).catch(() => undefined);
  if (existing?.isSymbolicLink()) throw unsafe(name, 'it is a symbolic link there');
  if (existing !== undefined && !overwrite)
    throw new BatonError(ErrorCode.badRequest, `${target} exists; pass --force to replace it`);
  const stream = await new Promise<NodeJS.ReadableStream>((resolve, reject) =>
    zip.openReadStream(entry, (error, readable) => (error === null ? resolve(readable) : reject(error))),
  );
  await pipeline(stream, createWriteStream(target, { flags: overwrite ? 'w' : 'wx', mode: 0o644 }));
  return name;
}

/**
 * Makes the directories `parts` under `root` one at a time, each checked before anything is made
 * inside it: a symbolic link is followed only when it resolves inside `root` (never `mkdir -p`,
 * which would make directories wherever a link leads).
 */
async function makeDirs(root: string, parts: readonly string[], name: string): Promise<void> {
  let dir = root;
  for (const part of parts) {
    dir = path.join(dir, part);
    const found = await lstat(dir).catch(() => undefined);
    if (found === undefined) {
      await mkdir(dir);
      continue;
    }
    if (found.isSymbolicLink()) {
      const real = await realpath(dir).catch(() => undefined);
      if (real === undefined || (real !== root && !real.startsWith(`${root}${path.sep}`)))
        throw unsafe(name, `${path.relative(root, dir)}/ leads outside the directory (a symbolic link)`);
      continue;
    }
    if (!found.isDirectory())
      throw new BatonError(
        ErrorCode.badRequest,
        `${dir} is a file where the zip has a directory; choose an empty directory`,
      );
  }
}

function unsafe(name: string, why = 'it is not a plain relative path'): CliError {
  return new CliError(
    CliErrorCode.unsafeZipEntry,
    `the zip's entry "${name}" was not written: ${why}; nothing after it was extracted`,
  );
}

/** An error of yauzl's, as one of this module's when it refused an entry's name. */
function fromYauzl(error: unknown): Error {
  if (!(error instanceof Error)) return new Error(String(error));
  const name = YAUZL_UNSAFE_NAME.exec(error.message)?.[1];
  return name === undefined ? error : unsafe(name);
}
