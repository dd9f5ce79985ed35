/**
 * The agent handler on each provider's wire format — Anthropic Messages and OpenAI Chat
 * Completions, each answering in one response and as a stream — through the real SDK packages:
 * one attempt with a tool call is exactly two requests; the test checks what Baton sent (model,
 * governance preamble and system prompt, messages, the tool's result) and what it keeps (the
 * artifact, a ledger row per request with tokens and cost, the tool call in the trace).
 */
import { FILE_TREE_MEDIA_TYPE, type PhaseDefinition, type PhaseTask } from '@baton/engine';
import { recordingAttemptContext } from '@baton/engine/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAgentHandler } from '../src/index.js';
import { anthropicReply, openAiReply, startWireServer, type Turn, type WireServer } from './wire-server.js';

let server: WireServer;
beforeEach(async () => {
  server = await startWireServer();
});
afterEach(async () => {
  await server.close();
});

/**
 * The content of the file the tool call reads: it appears nowhere in the first request (the
 * prompt lists the file tree's paths, not its files), so only the tool's result can carry it.
 */
const NOTES = 'Columns: order id, total, placed at. (design/notes.md)';
const NOTES_SHA256 = 'a'.repeat(64);
const DESIGN_TREE = JSON.stringify({
  files: [{ path: 'notes.md', sha256: NOTES_SHA256, size: NOTES.length, mediaType: 'text/markdown' }],
});

const READ = { id: 'call_1', name: 'read_file', input: { phase: 'design', path: 'notes.md' } };

/**
 * Each provider's wire format for the model's tool call and the tool's result, as the last two
 * messages of the second request: OpenAI Chat's assistant `tool_calls` and a `role: 'tool'`
 * message with the call's `tool_call_id`; Anthropic's `tool_use` block and a user message with a
 * `tool_result` block naming its `tool_use_id`.
 */
const cases = [
  {
    provider: 'openai',
    model: 'gpt-test',
    reply: openAiReply,
    path: '/v1/chat/completions',
    toolExchange: [
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: READ.id,
            type: 'function',
            function: { name: READ.name, arguments: JSON.stringify(READ.input) },
          },
        ],
      },
      { role: 'tool', tool_call_id: READ.id, content: NOTES },
    ],
  },
  {
    provider: 'anthropic',
    model: 'claude-test',
    reply: anthropicReply,
    path: '/v1/messages',
    toolExchange: [
      { role: 'assistant', content: [{ type: 'tool_use', ...READ }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: READ.id, content: NOTES }] },
    ],
  },
] as const;

function task(provider: 'openai' | 'anthropic', model: string, stream: boolean): PhaseTask {
  const phase: PhaseDefinition = {
    id: 'spec',
    kind: 'agent',
    agent: 'writer',
    needs: ['brief', 'design'],
    gate: false,
    retry: { maxAttempts: 1, backoffMs: 10, maxBackoffMs: 10, maxRecoveries: 1 },
    timeoutMs: 60_000,
    onFailure: 'continue',
  };
  return {
    runId: 'run-1',
    phaseId: 'spec',
    attempt: 1,
    phase,
    workflow: {
      id: 'feature',
      version: 1,
      governance: 'Never invent facts.',
      model: { provider, model, stream },
      agents: { writer: { system: 'You write specs.', tools: ['read_file'] } },
      phases: [phase],
    },
    fixtures: {},
    runInputs: { feature: 'CSV export' },
    upstream: [
      { phaseId: 'brief', mediaType: 'text/plain', content: 'Users want CSV.' },
      { phaseId: 'design', mediaType: FILE_TREE_MEDIA_TYPE, content: DESIGN_TREE },
    ],
    earlier: [],
  };
}

const turns: Turn[] = [
  {
    toolCall: READ,
    usage: { input: 120, output: 20 },
  },
  { text: '# Spec\nExport orders as CSV.', usage: { input: 180, output: 30 } },
];

describe.each(cases)('the agent handler on $provider', ({ provider, model, reply, path, toolExchange }) => {
  it.each([false, true])(
    'stream: %s — a tool call and an answer, two requests, two ledger rows',
    async (stream) => {
      server.reply(...turns.map((turn) => reply(turn, stream)));
      const handler = createAgentHandler({
        keys: () => `key-${provider}`,
        endpoints: { [provider]: `${server.url}/v1` },
        config: { prices: { [`${provider}/${model}`]: { input: 3, output: 15 } } },
      });
      const context = recordingAttemptContext({ runId: 'run-1', phaseId: 'spec', attempt: 1 });
      context.blobs.set(NOTES_SHA256, NOTES);
      const result = await handler.execute(
        task(provider, model, stream),
        new AbortController().signal,
        context,
      );

      expect(result).toEqual({
        ok: true,
        output: expect.objectContaining({ text: '# Spec\nExport orders as CSV.' }),
      });
      expect(server.requests.map((r) => r.path)).toEqual([path, path]);
      const [first, second] = server.requests.map((r) => r.body);
      expect(first).toMatchObject({ model, ...(stream ? { stream: true } : {}) });
      if (!stream) expect(first!['stream']).toBeFalsy();
      const sent = JSON.stringify(first);
      expect(sent).toContain('Never invent facts.\\n\\nYou write specs.');
      expect(sent).toContain('- feature: CSV export');
      expect(sent).toContain('### brief\\nUsers want CSV.');
      expect(sent).toContain('read_file');
      expect(sent).not.toContain(NOTES.slice(0, 20));
      // The second request is the first conversation, then the model's tool call and the tool's
      // result (the file's content, which only the tool could have read) for that call's id.
      const firstMessages = first!['messages'] as unknown[];
      const secondMessages = second!['messages'] as unknown[];
      expect(secondMessages.slice(0, firstMessages.length)).toEqual(firstMessages);
      expect(secondMessages.slice(firstMessages.length)).toEqual(toolExchange);
      expect(JSON.stringify(second).split(NOTES.slice(0, 20))).toHaveLength(2);

      expect(
        context.calls.map((c) => [c.provider, c.model, c.inputTokens, c.outputTokens, c.costUsd, c.status]),
      ).toEqual([
        [provider, model, 120, 20, 0.00066, 'ok'],
        [provider, model, 180, 30, 0.00099, 'ok'],
      ]);
      expect(context.traces).toEqual([
        { tool: 'read_file', input: { phase: 'design', path: 'notes.md' }, output: NOTES },
      ]);
    },
  );
});
