/**
 * `baton show RUN --follow`: the live view of a run on stderr — as `baton run` shows the run it
 * drives — until the run ends, waits for a person or is paused; then `baton show` prints it. It
 * only watches: it never decides, and Ctrl-C stops watching (the run goes on).
 *
 * Through a server (the home's socket, `--server`) it follows the run stream (`run-follower.ts`).
 * On a database other processes execute (`--database-url`: workers) it reads the run every
 * 250 ms. On a free home nothing executes a running run (no `baton` holds it), so there is nothing
 * to wait for: it says so and stops at once.
 */
import { BatonError, ErrorCode, type RunState } from '@baton/engine';
import type { RunReader } from '@baton/runtime';
import { ProgressView } from '../progress-view.js';
import { createRunFollower } from '../remote/run-follower.js';
import type { RemoteTarget } from '../remote/target.js';

/** How often a database's run is read when there is no server to stream it. */
const POLL_MS = 250;

export interface FollowedRun {
  readonly state: RunState;
  /** Ctrl-C stopped the watch, or the run runs and nothing executes it. */
  readonly interrupted: boolean;
}

/** Watches `runId` until it no longer runs. `workers`: something executes runs of this database. */
export async function followUntilSettled(
  runId: string,
  target: { readonly remote: RemoteTarget } | { readonly store: RunReader; readonly workers: boolean },
): Promise<FollowedRun> {
  const live = process.stderr.isTTY && process.env.CI !== 'true';
  const view = new ProgressView(process.stderr, { live, color: live && process.env.NO_COLOR === undefined });
  const stop = new AbortController();
  const onSigint = () => stop.abort();
  process.on('SIGINT', onSigint);
  try {
    let state: RunState;
    if ('remote' in target) {
      state = await createRunFollower({
        remote: target.remote,
        runId,
        view,
        signal: stop.signal,
      }).untilSettled();
      if (state.status === 'running' && target.remote.holderGone()) {
        view.stop();
        process.stderr.write(
          `${target.remote.where} stopped while run ${runId} was running — continue it with \`baton resume ${runId}\`\n`,
        );
        return { state, interrupted: true };
      }
    } else {
      state = await pollStore(target.store, runId, view, stop.signal, target.workers);
      if (state.status === 'running' && !target.workers) {
        view.stop();
        process.stderr.write(
          `nothing executes run ${runId} (no \`baton\` holds this home) — continue it with \`baton resume ${runId}\`\n`,
        );
        return { state, interrupted: true };
      }
    }
    view.stop();
    if (stop.signal.aborted) process.stderr.write(`\nstopped following — the run goes on\n`);
    return { state, interrupted: stop.signal.aborted };
  } finally {
    process.off('SIGINT', onSigint);
  }
}

async function pollStore(
  store: RunReader,
  runId: string,
  view: ProgressView,
  signal: AbortSignal,
  workers: boolean,
): Promise<RunState> {
  for (;;) {
    const state = await store.getRun(runId);
    if (state === undefined)
      throw new BatonError(ErrorCode.runNotFound, `no run "${runId}" — list runs with \`baton runs\``);
    view.update(state);
    if (state.status !== 'running' || signal.aborted || !workers) return state;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, POLL_MS);
      function done() {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      }
      signal.addEventListener('abort', done, { once: true });
    });
  }
}
