/**
 * Follows a run a server executes, as `baton run` drives one locally: the same live view (the
 * run's state kept up to date by the run stream, see `run-follower.ts`), the gate prompt on a terminal, `--auto`
 * approvals, the same summary and exit code. Ctrl-C stops following; the run goes on. Through
 * the socket of a driving `baton run`, which stops with its run, the end is read from the home
 * itself; a run left running when it stopped is reported like Ctrl-C (exit 130: resume it).
 */
import type { RunState } from '@baton/engine';
import { ExitCode } from '../exit-code.js';
import { ProgressView } from '../progress-view.js';
import { settle } from '../settle-loop.js';
import { createRunFollower } from './run-follower.js';
import { requestOfDecision, sendRequest } from './send-request.js';
import type { RemoteTarget } from './target.js';
import type { Submissions } from '../submit-flags.js';

export interface FollowOptions {
  readonly remote: RemoteTarget;
  readonly runId: string;
  readonly auto: boolean;
  readonly json: boolean;
  readonly by: string;
  /** Human phases answered up front (`baton run --submit`). */
  readonly submissions?: Submissions;
}

export async function followSession(options: FollowOptions): Promise<ExitCode> {
  const { remote, runId } = options;
  const live = process.stderr.isTTY && process.env.CI !== 'true';
  const view = new ProgressView(process.stderr, { live, color: live && process.env.NO_COLOR === undefined });
  let interrupted = false;
  const stop = new AbortController();
  const onSigint = () => {
    if (interrupted) process.exit(ExitCode.interrupted);
    interrupted = true;
    stop.abort();
  };
  const follower = createRunFollower({ remote, runId, view, signal: stop.signal });
  process.on('SIGINT', onSigint);
  try {
    return await settle({
      reader: remote.reader,
      view,
      auto: options.auto,
      json: options.json,
      by: options.by,
      ...(options.submissions === undefined ? {} : { submissions: options.submissions }),
      advance: async () => {
        const state = await follower.untilSettled();
        return { state, interrupted: interrupted || orphaned(remote, state) };
      },
      record: (input) =>
        input.type !== 'decide'
          ? Promise.resolve()
          : sendRequest(remote.client, runId, requestOfDecision(input)).catch((error: unknown) => {
              process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
            }),
      onInterrupted: () =>
        process.stderr.write(
          interrupted
            ? `\nstopped following — the run goes on in ${remote.where}; see it with \`baton show ${runId}\`\n`
            : `\n${remote.where} stopped while run ${runId} was running — continue it with \`baton resume ${runId}\`\n`,
        ),
    });
  } finally {
    process.off('SIGINT', onSigint);
  }
}

/**
 * The run still runs, but the home's socket it was followed through is gone: the `baton` that
 * drove it stopped (Ctrl-C, a crash) and nothing executes it until someone resumes it.
 */
function orphaned(remote: RemoteTarget, state: RunState): boolean {
  return state.status === 'running' && remote.holderGone();
}
