import { BatonError, ErrorCode } from '@baton/engine';
import { versionToShow } from '@baton/server/artifacts';
import { ExitCode } from '../exit-code.js';
import { artifactAccess } from '../remote/artifact-access.js';
import type { ServerFlags } from '../remote/target.js';
import { parseVersion } from '../version-argument.js';

/**
 * `baton cat RUN PHASE [PATH] [--version N]`: prints a version of a phase's output as it is stored
 * — a document, JSON, or a file tree's manifest — or, with PATH, one file of a file tree. Without
 * `--version`, the version `baton show` shows. Never executes work.
 */
export async function catArtifact(
  runId: string,
  phaseId: string,
  path: string | undefined,
  flags: ServerFlags & { version?: string },
): Promise<ExitCode> {
  const chosen = flags.version === undefined ? undefined : parseVersion(flags.version, '--version');
  const access = await artifactAccess(flags);
  try {
    let version = chosen;
    if (version === undefined) {
      const state = await access.getRun(runId);
      if (state === undefined)
        throw new BatonError(ErrorCode.runNotFound, `no run "${runId}" — list runs with \`baton runs\``);
      version = versionToShow(state, phaseId);
    }
    const text =
      path === undefined
        ? await access.content(runId, phaseId, version)
        : await access.file(runId, phaseId, version, path);
    process.stdout.write(text);
    return ExitCode.completed;
  } finally {
    await access.close();
  }
}
