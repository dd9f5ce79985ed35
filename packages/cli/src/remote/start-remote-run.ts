/**
 * What `baton run` and `baton fork` do once a server created the run: say so, then print its id
 * (`--detach`) or follow it until it ends or waits.
 */
import type { RunSnapshot } from '@baton/client';
import { ExitCode } from '../exit-code.js';
import type { DriveFlags } from '../drive-flags.js';
import { followSession } from './follow-session.js';
import type { RemoteTarget } from './target.js';
import type { Submissions } from '../submit-flags.js';

export async function followCreatedRun(
  remote: RemoteTarget,
  created: RunSnapshot,
  flags: DriveFlags & { detach?: boolean; submissions?: Submissions },
  started: string,
): Promise<ExitCode> {
  if (!flags.json) process.stderr.write(`${started}\n`);
  if (flags.detach === true) {
    process.stdout.write(
      flags.json
        ? `${JSON.stringify({ id: created.id, workflow: created.workflow, status: created.status })}\n`
        : `${created.id}\n`,
    );
    return ExitCode.completed;
  }
  return followSession({
    remote,
    runId: created.id,
    auto: flags.auto === true,
    json: flags.json === true,
    by: flags.by,
    ...(flags.submissions === undefined ? {} : { submissions: flags.submissions }),
  });
}
