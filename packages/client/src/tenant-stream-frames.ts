/**
 * The frames of a Server-Sent Events body (`event`, `id`, `data`), for the tenant stream: parsed
 * by `eventsource-parser`, the SSE parser the run stream's reader (`event-stream.ts`) uses too.
 */
import { createParser, type EventSourceMessage } from 'eventsource-parser';

/** One frame as sent. */
export interface SseFrame {
  readonly event: string;
  readonly id: string | undefined;
  readonly data: string;
}

/**
 * The frames of `body` in order, until it ends (a frame cut off by the end is dropped). `onChunk`
 * is told of every chunk read, comments included (the caller's sign of a live connection).
 */
export async function* sseFrames(
  body: ReadableStream<Uint8Array>,
  onChunk?: () => void,
): AsyncGenerator<SseFrame> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const parsed: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (message) => parsed.push(message) });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      onChunk?.();
      parser.feed(decoder.decode(value, { stream: true }));
      for (const message of parsed.splice(0))
        yield { event: message.event ?? 'message', id: message.id, data: message.data };
    }
  } finally {
    reader.releaseLock();
  }
}
