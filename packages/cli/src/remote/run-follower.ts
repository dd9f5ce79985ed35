/**
 * Follows a run through a server until it no longer runs, on the run stream: read the run's state
 * (its events folded with the engine's `applyEvent`, as `remote-reader.ts` does), then open the
 * stream from that state's seq and fold each event it brings into the same state, showing each
 * change, each attempt's live progress and its heartbeat as they arrive. A state read afresh at every start keeps
 * a decision just recorded from being read as the wait it answered.
 *
 * Reading pages every 250 ms (as before the stream) takes over when the server has no stream
 * (`STREAM_UNSUPPORTED`: one older than the client) or when it cannot be reached again: through
 * the home's socket, that is how the end of its holder is noticed — the reader then reads the
 * home itself (see `socket-reader.ts`) and a run left running is reported as orphaned.
 */
import { applyEvent, BatonError, ErrorCode, type RunEvent, type RunState } from '@baton/engine';
import { isApiClientError, type RunStreamFrame } from '@baton/client';
import type { ProgressView } from '../progress-view.js';
import type { RemoteTarget } from './target.js';

/** How often the run's state is read when there is no stream. */
const POLL_MS = 250;

/** Reconnections before the stream gives way to reading pages (the server is gone, or restarting). */
const STREAM_RECONNECT = { initialMs: 250, maxMs: 2_000 } as const;
const STREAM_ATTEMPTS = { socket: 3, url: 6 } as const;

export interface FollowRunOptions {
  readonly remote: RemoteTarget;
  readonly runId: string;
  readonly view: ProgressView;
  /** Aborted by Ctrl-C: the follow stops and answers the state as it is. */
  readonly signal: AbortSignal;
}

export interface RunFollower {
  /** The run's state once it no longer runs, or when the signal aborted or its holder is gone. */
  untilSettled(): Promise<RunState>;
}

export function createRunFollower(options: FollowRunOptions): RunFollower {
  const { remote, runId, view, signal } = options;
  // Once the stream is known not to serve, pages are read for the rest of the follow.
  let streamed = true;

  const read = async (): Promise<RunState> => {
    const state = await remote.reader.getRun(runId);
    if (state === undefined)
      throw new BatonError(ErrorCode.runNotFound, `run ${runId} is gone from ${remote.where}`);
    view.update(state);
    return state;
  };
  const settled = (state: RunState) =>
    state.status !== 'running' || signal.aborted || (state.status === 'running' && remote.holderGone());

  /** Folds the stream's events into `start` until the run settles; undefined: read pages instead. */
  const follow = async (start: RunState): Promise<RunState | undefined> => {
    let state = start;
    const frames = remote.client.runs.stream(runId, {
      lastEventId: start.seq,
      signal,
      reconnect: { ...STREAM_RECONNECT, attempts: STREAM_ATTEMPTS[remote.via] },
    });
    try {
      for await (const frame of frames) {
        state = await fold(state, frame);
        if (settled(state)) return state;
      }
      return state; // the signal aborted
    } catch (error) {
      if (isApiClientError(error, 'STREAM_UNSUPPORTED')) streamed = false;
      else if (!isApiClientError(error, 'UNREACHABLE')) throw error;
      return undefined;
    }
  };

  const fold = async (state: RunState, frame: RunStreamFrame): Promise<RunState> => {
    if (frame.kind === 'progress') {
      const { phaseId, attempt, text, object, outputTokens } = frame.progress;
      view.progress(
        { runId, phaseId, attempt },
        {
          ...(text === undefined ? {} : { text }),
          ...(object === undefined ? {} : { object: object as never }),
          ...(outputTokens === undefined ? {} : { outputTokens }),
        },
      );
      return state;
    }
    if (frame.kind === 'activity') {
      const at = Date.parse(frame.lastActivityAt);
      if (Number.isFinite(at)) view.activity({ runId, phaseId: frame.phaseId, attempt: frame.attempt }, at);
      return state;
    }
    if (frame.kind !== 'event' || frame.seq <= state.seq) return state;
    // A gap cannot come from the stream; were one to, the state is read whole again.
    if (frame.seq !== state.seq + 1) return read();
    const next = applyEvent(state, frame.event as unknown as RunEvent);
    view.update(next);
    return next;
  };

  return {
    async untilSettled() {
      let state = await read();
      for (;;) {
        if (settled(state)) return state;
        if (streamed) {
          const followed = await follow(state);
          if (followed !== undefined) return followed;
          state = await read();
          continue;
        }
        await sleep(POLL_MS, signal);
        state = await read();
      }
    },
  };
}

/** Waits `ms`, or less when `signal` aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
