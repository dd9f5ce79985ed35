/**
 * Feeds a run store from the server: the run first (view and folded log, `load-run.ts`), then its
 * stream (`client.runs.stream`) resumed after the fold's last event; the client reconnects by
 * itself with `Last-Event-ID`, and the connection status follows (`open` while connected,
 * `connecting` while it retries). A gap or an event the fold refuses reads the run again and
 * resumes; events that change what only the server's view shows read the view again.
 */
import { useEffect, useState } from 'react';
import { isApiClientError } from '@baton/client';
import type { RunEvent } from '@baton/engine';
import { api } from '../../api.js';
import { messageOf } from '../../app/session.js';
import type { RunStore } from '../../store/run-store.js';
import { loadRun } from './load-run.js';

/** How long to wait before reading the run again after a failed read. */
const RETRY_MS = 3000;

export function useRunStream(store: RunStore, runId: string): { readonly error: string | null } {
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    const { signal } = controller;
    const actions = store.getState();
    let refreshing = false;
    const refreshView = async (): Promise<void> => {
      if (refreshing) return;
      refreshing = true;
      try {
        while (!signal.aborted && store.getState().viewStale) {
          const before = store.getState().lastEventId;
          store.getState().setView(await api.runs.get(runId, { signal }));
          // Still stale only when events came in meanwhile: read again for them.
          if (store.getState().lastEventId === before) break;
        }
      } catch {
        // The next event that changes the view reads it again.
      } finally {
        refreshing = false;
      }
    };

    const follow = async (): Promise<void> => {
      while (!signal.aborted) {
        try {
          actions.setConnectionStatus('connecting');
          const live = await loadRun(api, runId, signal);
          store.getState().setSnapshot(live);
          setError(null);
          const frames = api.runs.stream(runId, {
            signal,
            lastEventId: live.state.seq,
            onOpen: () => store.getState().setConnectionStatus('open'),
            onRetry: () => store.getState().setConnectionStatus('connecting'),
          });
          for await (const frame of frames) {
            const state = store.getState();
            if (frame.kind === 'event') state.applyEvent(frame.event as unknown as RunEvent);
            else if (frame.kind === 'activity') state.recordActivity(frame.phaseId, frame.lastActivityAt);
            else if (frame.kind === 'progress') {
              // What the agent writes is shown live, and counts as activity of its attempt.
              state.recordProgress(frame.progress);
              state.recordActivity(frame.progress.phaseId, new Date(frame.progress.at).toISOString());
            } else state.setView(frame.snapshot);
            const after = store.getState();
            if (after.resyncNeeded) break;
            if (after.viewStale) void refreshView();
          }
        } catch (cause) {
          if (signal.aborted) break;
          store.getState().setConnectionStatus('error');
          setError(messageOf(cause));
          // A refusal (signed out, no such run) does not change by trying again.
          if (isApiClientError(cause) && cause.status >= 400 && cause.status < 500) return;
          await pause(RETRY_MS, signal);
        }
      }
      store.getState().setConnectionStatus('closed');
    };
    void follow();
    return () => controller.abort();
  }, [store, runId]);
  return { error };
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
