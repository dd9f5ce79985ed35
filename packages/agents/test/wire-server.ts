/**
 * A local HTTP server for tests that speaks a provider's wire format: it records every request
 * (path, headers, JSON body) and answers each with the next scripted reply — a JSON body, or a
 * server-sent event stream — or, with none queued, with what its `respond` function makes of the
 * request (a server that answers whatever it is asked, such as a whole workflow's calls).
 */
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * One scripted reply: JSON (`body`), an SSE stream (`events`: each `{event?, data}`; a string
 * `data` is sent as is), or no answer at all (`hang`: the request stays open until the client
 * gives up or the server closes). `afterMs` answers that late: a slow provider.
 */
export type WireReply =
  | { readonly hang: true }
  | { readonly status?: number; readonly body: unknown; readonly afterMs?: number }
  | {
      readonly status?: number;
      readonly events: readonly { readonly event?: string; readonly data: unknown }[];
      readonly afterMs?: number;
    };

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Record<string, unknown>;
}

export interface WireServer {
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Queues replies, answered in order; a request with none left goes to `respond`, else gets a 500. */
  reply(...replies: WireReply[]): void;
  close(): Promise<void>;
}

/**
 * Starts the server. `respond` answers each request no queued reply answers; when it throws, the
 * request gets a 500 carrying the error's message (the client then fails saying why).
 */
export async function startWireServer(
  respond?: (request: RecordedRequest) => WireReply,
): Promise<WireServer> {
  const requests: RecordedRequest[] = [];
  const queue: WireReply[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const request: RecordedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
      };
      requests.push(request);
      let next: WireReply | undefined;
      let problem = 'no scripted reply left';
      try {
        next = queue.shift() ?? respond?.(request);
      } catch (error) {
        problem = error instanceof Error ? error.message : String(error);
      }
      if (next === undefined) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ type: 'error', error: { type: 'api_error', message: problem } }));
        return;
      }
      if ('hang' in next) return;
      if (next.afterMs !== undefined) {
        setTimeout(() => answer(res, next), next.afterMs);
        return;
      }
      answer(res, next);
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

/** Sends a reply that answers: its JSON body or its event stream. */
function answer(res: ServerResponse, next: Exclude<WireReply, { readonly hang: true }>): void {
  if (res.destroyed) return; // the client gave up first
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

/** One model turn for the wire builders: a text answer, or a tool call, with its usage. */
export interface Turn {
  readonly text?: string;
  readonly toolCall?: { readonly id: string; readonly name: string; readonly input: unknown };
  readonly usage: { readonly input: number; readonly output: number };
}

/** The OpenAI Chat Completions reply for a turn: one JSON body, or a stream. */
export function openAiReply(turn: Turn, stream: boolean) {
  const toolCalls =
    turn.toolCall === undefined
      ? undefined
      : [
          {
            id: turn.toolCall.id,
            type: 'function',
            function: { name: turn.toolCall.name, arguments: JSON.stringify(turn.toolCall.input) },
          },
        ];
  const finish = toolCalls === undefined ? 'stop' : 'tool_calls';
  const usage = {
    prompt_tokens: turn.usage.input,
    completion_tokens: turn.usage.output,
    total_tokens: turn.usage.input + turn.usage.output,
  };
  if (!stream) {
    return {
      body: {
        id: 'chatcmpl-1',
        object: 'chat.completion',
        created: 1_700_000_000,
        model: 'm',
        choices: [
          {
            index: 0,
            message: {
              role: 'assistant',
              content: turn.text ?? null,
              ...(toolCalls === undefined ? {} : { tool_calls: toolCalls }),
            },
            finish_reason: finish,
          },
        ],
        usage,
      },
    };
  }
  if (toolCalls === undefined) return { events: chatStream([turn.text ?? ''], turn.usage) };
  const chunk = (delta: unknown, finishReason: string | null, extra: object = {}) => ({
    data: {
      id: 'chatcmpl-2',
      object: 'chat.completion.chunk',
      created: 1_700_000_000,
      model: 'm',
      choices: [{ index: 0, delta, finish_reason: finishReason }],
      ...extra,
    },
  });
  const call = toolCalls[0]!;
  return {
    events: [
      chunk(
        {
          role: 'assistant',
          tool_calls: [
            {
              index: 0,
              id: call.id,
              type: 'function',
              function: { name: call.function.name, arguments: '' },
            },
          ],
        },
        null,
      ),
      chunk({ tool_calls: [{ index: 0, function: { arguments: call.function.arguments } }] }, null),
      chunk({}, finish, { usage }),
      { data: '[DONE]' },
    ],
  };
}

/** The Anthropic Messages reply for a turn: one JSON body, or a stream of its events. */
export function anthropicReply(turn: Turn, stream: boolean) {
  return anthropicMessage(
    turn.toolCall === undefined
      ? [{ type: 'text', text: turn.text ?? '' }]
      : [{ type: 'tool_use', ...turn.toolCall }],
    turn.usage,
    stream,
  );
}

/** A content block of an Anthropic Messages answer: text, or a call of a tool. */
export type AnthropicBlock =
  | { readonly type: 'text'; readonly text: string }
  | { readonly type: 'tool_use'; readonly id: string; readonly name: string; readonly input: unknown };

/** Characters per `text_delta` of a streamed text block (a long answer arrives in many events). */
const TEXT_DELTA_CHARS = 2_000;

/**
 * The Anthropic Messages answer made of `blocks` (several `tool_use` blocks: the model calls
 * several tools at once), ending with `tool_use` when it calls any, else `end_turn`: one JSON
 * body, or the stream the API sends — `message_start`, each block's start, deltas and stop,
 * `message_delta` with the stop reason and usage, `message_stop`.
 */
export function anthropicMessage(blocks: readonly AnthropicBlock[], usage: Turn['usage'], stream: boolean) {
  const stop = blocks.some((block) => block.type === 'tool_use') ? 'tool_use' : 'end_turn';
  if (!stream) {
    return {
      body: {
        id: 'msg_1',
        type: 'message',
        role: 'assistant',
        model: 'claude-test',
        content: blocks,
        stop_reason: stop,
        stop_sequence: null,
        usage: { input_tokens: usage.input, output_tokens: usage.output },
      },
    };
  }
  const event = (type: string, data: object) => ({ event: type, data: { type, ...data } });
  const blockEvents = blocks.flatMap((block, index) => {
    const deltas =
      block.type === 'text'
        ? pieces(block.text).map((text) =>
            event('content_block_delta', { index, delta: { type: 'text_delta', text } }),
          )
        : [
            event('content_block_delta', {
              index,
              delta: { type: 'input_json_delta', partial_json: JSON.stringify(block.input) },
            }),
          ];
    const start = block.type === 'text' ? { type: 'text', text: '' } : { ...block, input: {} };
    return [
      event('content_block_start', { index, content_block: start }),
      ...deltas,
      event('content_block_stop', { index }),
    ];
  });
  return {
    events: [
      event('message_start', {
        message: {
          id: 'msg_2',
          type: 'message',
          role: 'assistant',
          model: 'claude-test',
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: usage.input, output_tokens: 1 },
        },
      }),
      ...blockEvents,
      event('message_delta', {
        delta: { stop_reason: stop, stop_sequence: null },
        usage: { output_tokens: usage.output },
      }),
      event('message_stop', {}),
    ],
  };
}

/** `text` cut into {@link TEXT_DELTA_CHARS}-character pieces (one empty piece for no text). */
function pieces(text: string): string[] {
  const result: string[] = [];
  for (let at = 0; at < text.length; at += TEXT_DELTA_CHARS)
    result.push(text.slice(at, at + TEXT_DELTA_CHARS));
  return result.length === 0 ? [''] : result;
}
