/**
 * The agent handler on each provider's wire format — Anthropic Messages and OpenAI Chat
 * Completions, each answering in one response and as a stream — through the real SDK packages:
 * one attempt with a tool call is exactly two requests; the test checks what Baton sent (model,
 * governance preamble and system prompt, messages, the tool's result) and what it keeps (the
 * artifact, a ledger row per request with tokens and cost, the tool call in the trace).
 */
import type { PhaseDefinition, PhaseTask } from '@baton/engine';
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

const cases = [
  { provider: 'openai', model: 'gpt-test', reply: openAiReply, path: '/v1/chat/completions' },
  { provider: 'anthropic', model: 'claude-test', reply: anthropicReply, path: '/v1/messages' },
] as const;

function task(provider: 'openai' | 'anthropic', model: string, stream: boolean): PhaseTask {
  const phase: PhaseDefinition = {
    id: 'spec',
    kind: 'agent',
    agent: 'writer',
    needs: ['brief'],
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
    upstream: [{ phaseId: 'brief', mediaType: 'text/plain', content: 'Users want CSV.' }],
    earlier: [],
  };
}

const turns: Turn[] = [
  {
    toolCall: { id: 'call_1', name: 'read_file', input: { phase: 'brief' } },
    usage: { input: 120, output: 20 },
  },
  { text: '# Spec\nExport orders as CSV.', usage: { input: 180, output: 30 } },
];

describe.each(cases)('the agent handler on $provider', ({ provider, model, reply, path }) => {
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
      // The second request carries the tool's result back.
      expect(JSON.stringify(second)).toContain('Users want CSV.');
      expect(JSON.stringify(second)).toContain('call_1');

      expect(
        context.calls.map((c) => [c.provider, c.model, c.inputTokens, c.outputTokens, c.costUsd, c.status]),
      ).toEqual([
        [provider, model, 120, 20, 0.00066, 'ok'],
        [provider, model, 180, 30, 0.00099, 'ok'],
      ]);
      expect(context.traces).toEqual([
        { tool: 'read_file', input: { phase: 'brief' }, output: 'Users want CSV.' },
      ]);
    },
  );
});
