/**
 * A local server speaking Anthropic's Messages API that answers a whole workflow's model calls
 * from the workflow's offline fixtures, as a real model would answer them: the wire server of the
 * agents' tests (it records every request) with a responder that reads, from each request, which
 * phase asks (the task line `Phase "<id>" of workflow …, attempt <n>.` that opens every prompt),
 * which attempt, and which turn of the attempt's tool loop (the assistant messages so far), and
 * answers with that fixture reply: text (the output, JSON as text), or `tool_use` blocks for its
 * tool calls. Streamed as server-sent events when the request asks for a stream, as the API does.
 */
import type { FixtureAnswer, FixtureFile, JsonValue } from '@baton/engine';
import {
  anthropicMessage,
  startWireServer,
  type AnthropicBlock,
  type RecordedRequest,
  type WireServer,
} from '../../agents/test/wire-server.js';

/** Which call a request is: the phase, its attempt and the turn of its tool loop (from 0). */
export interface CallOf {
  readonly phaseId: string;
  readonly attempt: number;
  readonly turn: number;
}

/** A content block of a request's message: text, a tool call, or a tool's result. */
interface WireBlock {
  readonly type: string;
  readonly text?: string;
  readonly input?: unknown;
  readonly content?: string | readonly WireBlock[];
}

/** A message of a Messages API request body (`content`: a string or content blocks). */
interface WireMessage {
  readonly role: string;
  readonly content: string | readonly WireBlock[];
}

const TASK_LINE = /^Phase "([^"]+)" of workflow "[^"]+", attempt (\d+)\.$/m;

/** The messages of a recorded request. */
export function messagesOf(request: RecordedRequest): readonly WireMessage[] {
  return (request.body.messages ?? []) as WireMessage[];
}

/** The text of a message: its string, or its text blocks joined. */
export function textOf(message: WireMessage | undefined): string {
  if (message === undefined) return '';
  if (typeof message.content === 'string') return message.content;
  return message.content.map((block) => block.text ?? '').join('');
}

/**
 * Everything a request's messages carry, as text: the prompt, the model's earlier tool calls
 * (their input as JSON) and the tools' results — whatever the model was given to read.
 */
export function messagesText(request: RecordedRequest): string {
  const blockText = (block: WireBlock): string => {
    if (block.type === 'tool_use') return JSON.stringify(block.input);
    if (block.type === 'tool_result') {
      const content = block.content ?? '';
      return typeof content === 'string' ? content : content.map(blockText).join('\n');
    }
    return block.text ?? '';
  };
  return messagesOf(request)
    .map((message) =>
      typeof message.content === 'string' ? message.content : message.content.map(blockText).join('\n'),
    )
    .join('\n');
}

/** Reads from a request which phase, attempt and turn it is (throws when it cannot tell). */
export function callOf(request: RecordedRequest): CallOf {
  const messages = messagesOf(request);
  const match = TASK_LINE.exec(textOf(messages[0]));
  if (match === null) throw new Error(`no task line in the first message of ${request.path}`);
  return {
    phaseId: match[1]!,
    attempt: Number(match[2]),
    turn: messages.filter((message) => message.role === 'assistant').length,
  };
}

/** The fixture reply for a call: the phase's entry, its attempt's answer, the turn's reply. */
function replyFor(fixtures: FixtureFile, call: CallOf): FixtureAnswer {
  const entry = fixtures[call.phaseId];
  if (entry === undefined) throw new Error(`no fixture for phase "${call.phaseId}"`);
  const answer = entry.attempts?.[String(call.attempt)] ?? entry;
  if (answer.replies === undefined) return answer;
  const reply = answer.replies[call.turn];
  if (reply === undefined) throw new Error(`no reply ${call.turn} for phase "${call.phaseId}"`);
  return reply;
}

/**
 * The content blocks answering a call: the reply's tool calls as `tool_use` blocks, else its
 * output as text (JSON text for a structured output: the request asks for it with
 * `output_config`, the API's own structured outputs, which answer in a text block).
 */
function blocksFor(call: CallOf, reply: FixtureAnswer): AnthropicBlock[] {
  if (reply.toolCalls !== undefined) {
    return reply.toolCalls.map((toolCall, index) => ({
      type: 'tool_use',
      id: `toolu_${call.phaseId}_${call.attempt}_${call.turn}_${index}`,
      name: toolCall.tool,
      input: toolCall.input,
    }));
  }
  const output: JsonValue | undefined = reply.output;
  if (output === undefined) throw new Error(`the fixture of phase "${call.phaseId}" has no output`);
  return [{ type: 'text', text: typeof output === 'string' ? output : JSON.stringify(output) }];
}

/** Starts the server answering from `fixtures` (keyed by phase id). Requests go to `/v1/messages`. */
export function startAnthropicFixtureServer(fixtures: FixtureFile): Promise<WireServer> {
  return startWireServer((request) => {
    if (request.path !== '/v1/messages') throw new Error(`not the Messages API: ${request.path}`);
    const call = callOf(request);
    const blocks = blocksFor(call, replyFor(fixtures, call));
    const characters = JSON.stringify(request.body).length;
    const usage = { input: Math.ceil(characters / 4), output: Math.ceil(JSON.stringify(blocks).length / 4) };
    return anthropicMessage(blocks, usage, request.body.stream === true);
  });
}
