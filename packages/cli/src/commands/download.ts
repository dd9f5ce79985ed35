import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { BatonError, ErrorCode } from '@baton/engine';
import { ExitCode } from '../exit-code.js';
import { artifactAccess } from '../remote/artifact-access.js';
import type { ServerFlags } from '../remote/target.js';
import { extractZip } from '../zip-extract.js';

export interface DownloadFlags extends ServerFlags {
  /** Write the zip itself to this file (`-`: standard output) instead of its files to a directory. */
  readonly zip?: string;
  /** Write into a directory that is not empty, or over an existing `--zip` file. */
  readonly force?: boolean;
}

/**
 * `baton download RUN [DIR]`: the run's outputs laid out as a project (what
 * `GET /api/runs/:id/download` zips: `baton-run.json`, `<phase>.md`, `<phase>.json`,
 * `<phase>/<path>` for a file tree) written under DIR (default `./<run id>`), which must be empty or
 * new unless `--force`; or `--zip FILE`, the zip itself. Never executes work.
 */
export async function downloadRun(
  runId: string,
  dir: string | undefined,
  flags: DownloadFlags,
): Promise<ExitCode> {
  if (dir !== undefined && flags.zip !== undefined)
    throw new BatonError(ErrorCode.badRequest, 'give a directory or --zip FILE, not both');
  const target = flags.zip === undefined ? (dir ?? runId) : undefined;
  if (target !== undefined) await requireEmpty(target, flags.force === true);
  const access = await artifactAccess(flags);
  try {
    const zip = await access.zip(runId);
    if (flags.zip === '-') {
      await pipeline(zip, process.stdout, { end: false });
      return ExitCode.completed;
    }
    if (flags.zip !== undefined) {
      await pipeline(zip, createWriteStream(flags.zip, { flags: flags.force ? 'w' : 'wx' })).catch(
        (error: unknown) => {
          if ((error as NodeJS.ErrnoException).code === 'EEXIST')
            throw new BatonError(ErrorCode.badRequest, `${flags.zip} exists; pass --force to replace it`);
          throw error;
        },
      );
      process.stdout.write(`wrote ${flags.zip}\n`);
      return ExitCode.completed;
    }
    const into = target!;
    const temp = await mkdtemp(path.join(tmpdir(), 'baton-download-'));
    try {
      const file = path.join(temp, 'run.zip');
      await pipeline(zip, createWriteStream(file));
      await mkdir(into, { recursive: true });
      const files = await extractZip(file, into, flags.force === true);
      process.stdout.write(`wrote ${files.length} file${files.length === 1 ? '' : 's'} to ${into}\n`);
      return ExitCode.completed;
    } finally {
      await rm(temp, { recursive: true, force: true });
    }
  } finally {
    await access.close();
  }
}

/** Refuses a directory with anything in it (unless `force`), and a path that is not a directory. */
async function requireEmpty(dir: string, force: boolean): Promise<void> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return;
    if (code === 'ENOTDIR') throw new BatonError(ErrorCode.badRequest, `${dir} is not a directory`);
    throw error;
  }
  if (names.length > 0 && !force)
    throw new BatonError(
      ErrorCode.badRequest,
      `${dir} is not empty: choose another directory, or pass --force to write into it (the run's files replace files of the same name)`,
    );
}
