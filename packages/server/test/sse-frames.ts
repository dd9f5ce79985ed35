/**
 * A Server-Sent Events connection for the server's stream tests: opens the stream with `fetch`,
 * and hands out its frames one at a time (`event`, `id`, `data`; comments counted apart). Just
 * enough of the format for frames the server writes; the client package owns the real reader.
 */

/** One frame. */
export interface SseFrame {
  readonly event: string;
  readonly id: string | undefined;
  readonly data: string;
}

/** An open stream. */
export interface SseConnection {
  readonly status: number;
  /** The next frame, or undefined when none came within `waitMs` or the stream ended. */
  next(waitMs: number): Promise<SseFrame | undefined>;
  /** Comment lines (`: keepalive`) read so far. */
  readonly comments: number;
  /** Leaves: aborts the request. */
  close(): void;
}

/** Opens `url` with `headers`; a refusal (not 200) comes back with its status and no frames. */
export async function openSse(url: string, headers: Record<string, string>): Promise<SseConnection> {
  const abort = new AbortController();
  const response = await fetch(url, {
    headers: { ...headers, accept: 'text/event-stream' },
    signal: abort.signal,
  });
  const reader: ReadableStreamDefaultReader<Uint8Array> = response.body!.getReader();
  const decoder = new TextDecoder();
  const frames: SseFrame[] = [];
  let buffer = '';
  let ended = response.status !== 200;
  let comments = 0;
  let pending: Promise<void> | undefined;

  const parse = (block: string): void => {
    let event = 'message';
    let id: string | undefined;
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) comments++;
      else if (line.startsWith('event: ')) event = line.slice(7);
      else if (line.startsWith('id: ')) id = line.slice(4);
      else if (line.startsWith('data: ')) data.push(line.slice(6));
    }
    if (data.length > 0 || id !== undefined) frames.push({ event, id, data: data.join('\n') });
  };
  const pump = (): Promise<void> =>
    (pending ??= reader.read().then(
      ({ done, value }) => {
        pending = undefined;
        if (done) {
          ended = true;
          return;
        }
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          parse(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
      },
      () => {
        pending = undefined;
        ended = true;
      },
    ));

  return {
    status: response.status,
    get comments() {
      return comments;
    },
    async next(waitMs) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), waitMs);
      });
      try {
        while (frames.length === 0 && !ended) {
          if ((await Promise.race([pump(), timeout])) === 'timeout') break;
        }
      } finally {
        clearTimeout(timer);
      }
      return frames.shift();
    },
    close() {
      abort.abort();
    },
  };
}
