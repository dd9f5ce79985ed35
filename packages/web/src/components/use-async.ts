/**
 * A read the page shows (`api.artifacts.list(…)` and the like): its answer, its error, or that it
 * is still loading. It reads again when `key` changes (a new version, another phase), aborting the
 * read it replaces, and never shows an older read's answer after a newer one's.
 */
import { useEffect, useState } from 'react';
import { messageOf } from '../app/session.js';

export type AsyncState<T> =
  | { readonly status: 'loading' }
  | { readonly status: 'done'; readonly value: T }
  | { readonly status: 'error'; readonly message: string };

export function useAsync<T>(key: string | null, load: (signal: AbortSignal) => Promise<T>): AsyncState<T> {
  const [state, setState] = useState<{ key: string | null; value: AsyncState<T> }>({
    key: null,
    value: { status: 'loading' },
  });
  useEffect(() => {
    if (key === null) return;
    const controller = new AbortController();
    load(controller.signal).then(
      (value) => {
        if (!controller.signal.aborted) setState({ key, value: { status: 'done', value } });
      },
      (cause: unknown) => {
        if (!controller.signal.aborted)
          setState({ key, value: { status: 'error', message: messageOf(cause) } });
      },
    );
    return () => controller.abort();
    // `load` is a new function each render; `key` says when what it reads changes.
  }, [key]);
  return state.key === key ? state.value : { status: 'loading' };
}
