/**
 * The dashboard's data: the first page of runs, then every change through the tenant stream
 * (`client.events.follow`, reconnecting by itself), merged by `run-rows.ts`. `loadMore` reads the
 * next page with the list's cursor (keyset paging: never the whole list at once).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { RunStatus } from '@baton/client';
import { api } from '../../api.js';
import { messageOf } from '../../app/session.js';
import { applyTenantEvent, mergeRows, rowOfListItem, type RunRow } from './run-rows.js';

export interface RunList {
  readonly rows: readonly RunRow[] | null;
  readonly error: string | null;
  readonly live: boolean;
  readonly nextCursor: string | undefined;
  loadMore: () => void;
  /** Renames a run (`PATCH /api/runs/:id`); the row shows the new title at once. */
  rename: (id: string, title: string) => Promise<void>;
}

const PAGE = 50;

/** The runs, all of them or those with `status` (the server filters and pages them). */
export function useRunList(status?: RunStatus): RunList {
  const [rows, setRows] = useState<readonly RunRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [live, setLive] = useState(false);
  const [nextCursor, setNextCursor] = useState<string | undefined>(undefined);
  const aborts = useRef<AbortController | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    aborts.current = controller;
    setRows(null);
    setNextCursor(undefined);
    const { signal } = controller;
    void (async () => {
      try {
        for await (const event of api.events.follow({ signal })) {
          if (event.type === 'ready') setLive(true);
          setRows((held) => applyTenantEvent(held ?? [], event));
        }
      } catch (cause) {
        if (!signal.aborted) setError(messageOf(cause));
      } finally {
        setLive(false);
      }
    })();
    api.runs
      .list({ limit: PAGE, ...(status === undefined ? {} : { status }) }, { signal })
      .then((page) => {
        setRows((held) => mergeRows(held ?? [], page.runs.map(rowOfListItem)));
        setNextCursor(page.nextCursor);
      })
      .catch((cause: unknown) => {
        if (!signal.aborted) setError(messageOf(cause));
      });
    return () => controller.abort();
  }, [status]);

  const loadMore = useCallback(() => {
    if (nextCursor === undefined) return;
    const signal = aborts.current?.signal;
    api.runs
      .list(
        { limit: PAGE, cursor: nextCursor, ...(status === undefined ? {} : { status }) },
        signal === undefined ? {} : { signal },
      )
      .then((page) => {
        setRows((held) => mergeRows(held ?? [], page.runs.map(rowOfListItem)));
        setNextCursor(page.nextCursor);
      })
      .catch((cause: unknown) => setError(messageOf(cause)));
  }, [nextCursor, status]);

  const rename = useCallback(async (id: string, title: string) => {
    const run = await api.runs.rename(id, title);
    setRows((held) =>
      (held ?? []).map((row) => (row.id === id ? { ...row, title: run.title ?? title } : row)),
    );
  }, []);

  return { rows, error, live, nextCursor, loadMore, rename };
}
