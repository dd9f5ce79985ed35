/**
 * A local HTTP server for tests that speaks a provider's wire format: it records every request
 * (path, headers, JSON body) and answers each with the next scripted reply — a JSON body, or a
 * server-sent event stream.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * One scripted reply: JSON (`body`), an SSE stream (`events`: each `{event?, data}`; a string
 * `data` is sent as is), or no answer at all (`hang`: the request stays open until the client
 * gives up or the server closes).
 */
type WireReply =
  | { readonly hang: true }
  | { readonly status?: number; readonly body: unknown }
  | {
      readonly status?: number;
      readonly events: readonly { readonly event?: string; readonly data: unknown }[];
    };

interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Record<string, unknown>;
}

export interface WireServer {
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Queues replies, answered in order; a request with none left gets a 500. */
  reply(...replies: WireReply[]): void;
  close(): Promise<void>;
}

export async function startWireServer(): Promise<WireServer> {
  const requests: RecordedRequest[] = [];
  const queue: WireReply[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      requests.push({
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
      });
      const next = queue.shift();
      if (next === undefined) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: 'no scripted reply left' } }));
        return;
      }
      if ('hang' in next) return;
      if ('body' in next) {
        res.writeHead(next.status ?? 200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(next.body));
        return;
      }
      res.writeHead(next.status ?? 200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      for (const event of next.events) {
        const data = typeof event.data === 'string' ? event.data : JSON.stringify(event.data);
        res.write(`${event.event === undefined ? '' : `event: ${event.event}\n`}data: ${data}\n\n`);
      }
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    reply: (...replies) => queue.push(...replies),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** An OpenAI Chat Completions answer with the given text and usage. */
export function chatCompletion(
  content: string,
  usage: { readonly input: number; readonly output: number } = { input: 21, output: 4 },
): Record<string, unknown> {
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion',
    created: 1_700_000_000,
    model: 'm',
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
    usage: {
      prompt_tokens: usage.input,
      completion_tokens: usage.output,
      total_tokens: usage.input + usage.output,
    },
  };
}

/**
 * An OpenAI Chat Completions stream (server-sent events): the text in `pieces`, then the finish
 * chunk with the usage, then `[DONE]`.
 */
export function chatStream(
  pieces: readonly string[],
  usage: { readonly input: number; readonly output: number } = { input: 30, output: 7 },
): { readonly data: unknown }[] {
  const chunk = (choice: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    data: {
      id: 'chatcmpl-2',
      object: 'chat.completion.chunk',
      created: 1_700_000_000,
      model: 'm',
      choices: [{ index: 0, ...choice }],
      ...extra,
    },
  });
  return [
    ...pieces.map((content, index) =>
      chunk({ delta: index === 0 ? { role: 'assistant', content } : { content }, finish_reason: null }),
    ),
    chunk(
      { delta: {}, finish_reason: 'stop' },
      {
        usage: {
          prompt_tokens: usage.input,
          completion_tokens: usage.output,
          total_tokens: usage.input + usage.output,
        },
      },
    ),
    { data: '[DONE]' },
  ];
}
