/**
 * The frames of a Server-Sent Events body (`event`, `id`, `data`), for the tenant stream. A small
 * reader of the format (lines; a blank line ends a frame; `:` comments skipped) until the client's
 * shared SSE reader exists, which should replace it.
 */

/** One frame as sent. */
export interface SseFrame {
  readonly event: string;
  readonly id: string | undefined;
  readonly data: string;
}

/** The frames of `body` in order, until it ends. */
export async function* sseFrames(body: ReadableStream<Uint8Array>): AsyncGenerator<SseFrame> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let event = '';
  let id: string | undefined;
  let data: string[] = [];
  try {
    for (;;) {
      const { done, value } = await reader.read();
      buffer += done ? decoder.decode() : decoder.decode(value, { stream: true });
      let end: RegExpExecArray | null;
      while ((end = /\r\n|\r|\n/.exec(buffer)) !== null) {
        // A lone CR at the end of the buffer may be the first half of CRLF: wait for more.
        if (end[0] === '\r' && end.index === buffer.length - 1 && !done) break;
        const line = buffer.slice(0, end.index);
        buffer = buffer.slice(end.index + end[0].length);
        if (line === '') {
          if (data.length > 0 || id !== undefined)
            yield { event: event || 'message', id, data: data.join('\n') };
          event = '';
          id = undefined;
          data = [];
          continue;
        }
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        let value = colon < 0 ? '' : line.slice(colon + 1);
        if (value.startsWith(' ')) value = value.slice(1);
        if (field === 'event') event = value;
        else if (field === 'data') data.push(value);
        else if (field === 'id' && !value.includes('\u0000')) id = value;
      }
      if (done) return;
    }
  } finally {
    reader.releaseLock();
  }
}
