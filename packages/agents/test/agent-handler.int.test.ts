/**
 * The agent phase handler through the real SDK against a local OpenAI Chat Completions server:
 * the prompt it sends, typed outputs asked again with the validation errors, provider failures.
 */
import type { PhaseDefinition, PhaseTask, WorkflowDefinition } from '@baton/engine';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAgentHandler } from '../src/index.js';
import { chatCompletion, startWireServer, type WireServer } from './wire-server.js';

let server: WireServer;
beforeEach(async () => {
  server = await startWireServer();
});
afterEach(async () => {
  await server.close();
});

const notesSchema = { type: 'object', required: ['title'], properties: { title: { type: 'string' } } };

function task(phase: Partial<PhaseDefinition> = {}, workflow: Partial<WorkflowDefinition> = {}): PhaseTask {
  const def: PhaseDefinition = {
    id: 'notes',
    kind: 'agent',
    agent: 'summarizer',
    needs: ['collect'],
    gate: false,
    retry: { maxAttempts: 2, backoffMs: 10, maxBackoffMs: 10, maxRecoveries: 1 },
    timeoutMs: 60_000,
    onFailure: 'continue',
    output: notesSchema,
    ...phase,
  };
  return {
    runId: 'run-1',
    phaseId: 'notes',
    attempt: 1,
    phase: def,
    workflow: {
      id: 'release-notes',
      version: 1,
      governance: 'Never invent facts.',
      model: { provider: 'openai', model: 'gpt-test' },
      agents: { summarizer: { system: 'You turn a commit log into release notes.', tools: [] } },
      phases: [def],
      ...workflow,
    },
    fixtures: {},
    runInputs: { repo: 'baton' },
    upstream: [{ phaseId: 'collect', mediaType: 'text/plain', content: 'a1 add map\nb2 fix gate\n' }],
    earlier: [],
  };
}

const answer = (content: string) => ({ body: chatCompletion(content, { input: 50, output: 10 }) });

const handler = () =>
  createAgentHandler({ keys: () => 'sk-test', endpoints: { openai: `${server.url}/v1` } });
const signal = new AbortController().signal;

describe('the agent handler', () => {
  it('sends the governance preamble, the agent’s system prompt, the run inputs and the labelled artifacts', async () => {
    server.reply(answer('{"title":"Baton 0.2"}'));
    const result = await handler().execute(task(), signal);
    expect(result).toMatchObject({ ok: true, output: { mediaType: 'application/json' } });
    expect(result.ok && JSON.parse(result.output.text)).toEqual({ title: 'Baton 0.2' });
    expect(server.requests).toHaveLength(1);
    const body = server.requests[0]!.body as { model: string; messages: { role: string; content: string }[] };
    expect(body.model).toBe('gpt-test');
    expect(body.messages[0]).toEqual({
      role: 'system',
      content: 'Never invent facts.\n\nYou turn a commit log into release notes.',
    });
    expect(body.messages[1]!.content).toContain('- repo: baton');
    expect(body.messages[1]!.content).toContain('### collect\na1 add map\nb2 fix gate');
    // Structured output: the schema goes to the provider.
    expect(server.requests[0]!.body['response_format']).toMatchObject({ type: 'json_schema' });
  });

  it('asks again with the exact validation errors and its previous answer, then accepts the fix', async () => {
    server.reply(answer('{"heading":"Baton 0.2"}'), answer('{"title":"Baton 0.2"}'));
    const result = await handler().execute(task(), signal);
    expect(result.ok && JSON.parse(result.output.text)).toEqual({ title: 'Baton 0.2' });
    expect(server.requests).toHaveLength(2);
    const messages = server.requests[1]!.body['messages'] as { role: string; content: string }[];
    expect(messages.at(-2)).toEqual({ role: 'assistant', content: '{"heading":"Baton 0.2"}' });
    expect(messages.at(-1)!.content).toMatch(
      /does not match the required output schema:\n.*title.*is required/,
    );
  });

  it('fails with the validation report when no try fits (retryable: the phase policy decides)', async () => {
    server.reply(answer('{}'), answer('{}'), answer('not json'));
    const result = await handler().execute(task(), signal);
    expect(result).toMatchObject({ ok: false, retryable: true, error: { code: 'OUTPUT_SCHEMA' } });
    expect(server.requests).toHaveLength(3);
  });

  it('returns free markdown when the phase has no output schema', async () => {
    server.reply(answer('# Baton 0.2\n- maps'));
    const result = await handler().execute(task({ output: undefined }), signal);
    expect(result).toMatchObject({
      ok: true,
      output: { mediaType: 'text/plain', text: '# Baton 0.2\n- maps' },
    });
  });

  it('names the provider, model and status of a failed call; 429 and 5xx are retryable, 400 is not', async () => {
    server.reply({ status: 500, body: { error: { message: 'upstream down' } } });
    expect(await handler().execute(task(), signal)).toMatchObject({
      ok: false,
      retryable: true,
      error: { code: 'PROVIDER_ERROR', message: expect.stringMatching(/^openai model "gpt-test": HTTP 500/) },
    });
    server.reply({ status: 400, body: { error: { message: 'bad request' } } });
    expect(await handler().execute(task(), signal)).toMatchObject({ ok: false, retryable: false });
    expect(server.requests).toHaveLength(2);
  });

  it('fails a malformed answer (retryable), naming the provider and model', async () => {
    server.reply({ body: { unexpected: true } });
    const result = await handler().execute(task(), signal);
    expect(result).toMatchObject({
      ok: false,
      retryable: true,
      error: { code: 'PROVIDER_ERROR', message: expect.stringMatching(/^openai model "gpt-test": /) },
    });
    expect(server.requests).toHaveLength(1);
    expect(!result.ok && result.error.message).toBe(
      'openai model "gpt-test": HTTP 200: Invalid JSON response',
    );
  });

  it('fails without calling anything when no model is set or the provider has no key', async () => {
    const noModel = await handler().execute(task({}, { model: undefined }), signal);
    expect(noModel).toMatchObject({
      ok: false,
      retryable: false,
      error: { code: 'PROVIDER_NOT_CONFIGURED' },
    });
    const noKey = await createAgentHandler({ keys: () => undefined }).execute(task(), signal);
    expect(noKey).toMatchObject({
      ok: false,
      error: { code: 'PROVIDER_NOT_CONFIGURED', message: expect.stringContaining('set OPENAI_API_KEY') },
    });
    expect(server.requests).toHaveLength(0);
  });
});
