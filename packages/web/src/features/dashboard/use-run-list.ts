/**
 * The dashboard's data: the first page of runs, then every change through the tenant stream
 * (`client.events.follow`, reconnecting by itself), merged by `run-rows.ts`. `loadMore` reads the
 * next page with the list's cursor (keyset paging: never the whole list at once).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../../api.js';
import { messageOf } from '../../app/session.js';
import { applyTenantEvent, mergeRows, rowOfListItem, type RunRow } from './run-rows.js';

export interface RunList {
  readonly rows: readonly RunRow[] | null;
  readonly error: string | null;
  readonly live: boolean;
  readonly nextCursor: string | undefined;
  loadMore: () => void;
}

const PAGE = 50;

export function useRunList(): RunList {
  const [rows, setRows] = useState<readonly RunRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [live, setLive] = useState(false);
  const [nextCursor, setNextCursor] = useState<string | undefined>(undefined);
  const aborts = useRef<AbortController | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    aborts.current = controller;
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
      .list({ limit: PAGE }, { signal })
      .then((page) => {
        setRows((held) => mergeRows(held ?? [], page.runs.map(rowOfListItem)));
        setNextCursor(page.nextCursor);
      })
      .catch((cause: unknown) => {
        if (!signal.aborted) setError(messageOf(cause));
      });
    return () => controller.abort();
  }, []);

  const loadMore = useCallback(() => {
    if (nextCursor === undefined) return;
    const signal = aborts.current?.signal;
    api.runs
      .list({ limit: PAGE, cursor: nextCursor }, signal === undefined ? {} : { signal })
      .then((page) => {
        setRows((held) => mergeRows(held ?? [], page.runs.map(rowOfListItem)));
        setNextCursor(page.nextCursor);
      })
      .catch((cause: unknown) => setError(messageOf(cause)));
  }, [nextCursor]);

  return { rows, error, live, nextCursor, loadMore };
}
