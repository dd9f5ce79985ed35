import type { ArtifactDiff } from '@baton/client';
import { ExitCode } from '../exit-code.js';
import { colorPatch, useColor } from '../patch-colors.js';
import { artifactAccess } from '../remote/artifact-access.js';
import type { ServerFlags } from '../remote/target.js';
import { parseVersion } from '../version-argument.js';

/**
 * `baton diff RUN PHASE V1 V2`: the unified diff of two versions of a phase's output (JSON
 * pretty-printed first; a file tree file by file), coloured on a terminal unless `NO_COLOR` is set;
 * `--json` prints the diff as the API answers it. Nothing when they are the same. Never executes
 * work.
 */
export async function diffArtifact(
  runId: string,
  phaseId: string,
  from: string,
  to: string,
  flags: ServerFlags & { json?: boolean },
): Promise<ExitCode> {
  const older = parseVersion(from, 'V1');
  const newer = parseVersion(to, 'V2');
  const access = await artifactAccess(flags);
  try {
    const diff = await access.diff(runId, phaseId, older, newer);
    if (flags.json) {
      process.stdout.write(`${JSON.stringify(diff, null, 2)}\n`);
      return ExitCode.completed;
    }
    const text = patchText(diff);
    process.stdout.write(useColor(process.stdout) ? colorPatch(text) : text);
    return ExitCode.completed;
  } finally {
    await access.close();
  }
}

/** The diff as one patch: a tree's files one after the other (a file left without its patch says so). */
function patchText(diff: ArtifactDiff): string {
  if (diff.kind === 'text') return diff.patch;
  return diff.files
    .map(
      (file) =>
        file.patch ??
        [
          `--- ${file.change === 'added' ? '/dev/null' : `a/${file.path}`}`,
          `+++ ${file.change === 'removed' ? '/dev/null' : `b/${file.path}`}`,
          `(${file.change}; its patch was left out: the diff is too large — compare with baton cat)`,
          '',
        ].join('\n'),
    )
    .join('');
}
