/**
 * Follows a run a server executes, as `baton run` drives one locally: the same live view (from
 * the run's state, polled until the stream arrives), the gate prompt on a terminal, `--auto`
 * approvals, the same summary and exit code. Ctrl-C stops following; the run goes on. Through
 * the socket of a driving `baton run`, which stops with its run, the end is read from the home
 * itself; a run left running when it stopped is reported like Ctrl-C (exit 130: resume it).
 */
import { BatonError, ErrorCode, type RunState } from '@baton/engine';
import { ExitCode } from '../exit-codes.js';
import { ProgressView } from '../progress-view.js';
import { settle } from '../settle-loop.js';
import { requestOfDecision, sendRequest } from './send-request.js';
import type { RemoteTarget } from './target.js';

export interface FollowOptions {
  readonly remote: RemoteTarget;
  readonly runId: string;
  readonly auto: boolean;
  readonly json: boolean;
  readonly by: string;
}

/** How often the run's state is read while it runs. */
const POLL_MS = 250;

export async function followSession(options: FollowOptions): Promise<ExitCode> {
  const { remote, runId } = options;
  const live = process.stderr.isTTY && process.env.CI !== 'true';
  const view = new ProgressView(process.stderr, { live, color: live && process.env.NO_COLOR === undefined });
  let interrupted = false;
  const onSigint = () => {
    if (interrupted) process.exit(ExitCode.interrupted);
    interrupted = true;
  };
  process.on('SIGINT', onSigint);
  try {
    return await settle({
      reader: remote.reader,
      view,
      auto: options.auto,
      json: options.json,
      by: options.by,
      advance: async () => {
        const state = await untilSettled(options, view, () => interrupted);
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

/** Reads the run until it no longer runs (it ended, waits or is paused), showing each change. */
async function untilSettled(
  options: FollowOptions,
  view: ProgressView,
  stopped: () => boolean,
): Promise<RunState> {
  for (;;) {
    const state = await options.remote.reader.getRun(options.runId);
    if (state === undefined)
      throw new BatonError(
        ErrorCode.runNotFound,
        `run ${options.runId} is gone from ${options.remote.where}`,
      );
    view.update(state);
    if (state.status !== 'running' || stopped() || orphaned(options.remote, state)) return state;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
