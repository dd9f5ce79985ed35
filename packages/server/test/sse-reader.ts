/**
 * A small reader of the run stream for tests: `fetch` with `Accept: text/event-stream`, parsed by
 * `eventsource-parser` into frames (id, event, data as JSON; comments apart), kept in arrival
 * order. `close()` leaves, as a client that disconnects; `ended` resolves when the server ended it.
 */
import { createParser, type EventSourceMessage } from 'eventsource-parser';

/** One frame as received. */
export interface Frame {
  readonly id: string | undefined;
  readonly event: string;
  readonly data: Record<string, unknown>;
}

export interface StreamReader {
  readonly status: number;
  /** The JSON error body when the server refused the stream (status >= 400). */
  readonly error?: { readonly code: string; readonly message: string };
  readonly frames: Frame[];
  readonly comments: string[];
  /** The id of the last frame with one (what a reconnecting client sends as Last-Event-ID). */
  lastId(): string | undefined;
  /** Resolves when the server ended the stream (or the connection broke). */
  readonly ended: Promise<void>;
  close(): void;
}

export interface OpenStreamOptions {
  readonly headers?: Record<string, string>;
  /** Sent as `Last-Event-ID`. */
  readonly lastEventId?: string;
}

export async function openStream(url: string, options: OpenStreamOptions = {}): Promise<StreamReader> {
  const abort = new AbortController();
  const response = await fetch(url, {
    headers: {
      accept: 'text/event-stream',
      ...options.headers,
      ...(options.lastEventId === undefined ? {} : { 'last-event-id': options.lastEventId }),
    },
    signal: abort.signal,
  });
  const frames: Frame[] = [];
  const comments: string[] = [];
  if (response.status >= 400 || response.body === null) {
    const body = (await response.json().catch(() => ({}))) as { error?: StreamReader['error'] };
    return {
      status: response.status,
      ...(body.error === undefined ? {} : { error: body.error }),
      frames,
      comments,
      lastId: () => undefined,
      ended: Promise.resolve(),
      close: () => abort.abort(),
    };
  }
  const parser = createParser({
    onEvent: (message: EventSourceMessage) => {
      frames.push({
        id: message.id,
        event: message.event ?? 'message',
        data: JSON.parse(message.data) as Record<string, unknown>,
      });
    },
    onComment: (comment) => comments.push(comment.trim()),
  });
  const decoder = new TextDecoder();
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const ended = (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        parser.feed(decoder.decode(value, { stream: true }));
      }
    } catch {
      // Aborted by close(), or the connection broke (a killed server).
    }
  })();
  return {
    status: response.status,
    frames,
    comments,
    lastId: () => frames.findLast((frame) => frame.id !== undefined)?.id,
    ended,
    close: () => abort.abort(),
  };
}
