/**
 * Each provider through its real AI SDK package against a local server speaking its wire format:
 * what Baton sends (path, key header, model, system prompt, messages), what it reads back (text,
 * usage), one request per call (`maxRetries: 0`: retries belong to the phase's policy).
 */
import { generateText, jsonSchema, stepCountIs, streamText, tool } from 'ai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLanguageModel, environmentEndpoints, environmentKeys } from '../src/index.js';
import type { ModelProvider as ProviderName } from '@baton/engine';
import {
  anthropicReply,
  chatCompletion,
  chatStream,
  startWireServer,
  type WireServer,
} from './wire-server.js';

let server: WireServer;
beforeEach(async () => {
  server = await startWireServer();
});
afterEach(async () => {
  await server.close();
});

const keys = (provider: ProviderName) => (provider === 'openai-compatible' ? undefined : `key-${provider}`);
const model = (provider: ProviderName, id: string) =>
  createLanguageModel({ provider, model: id }, { keys, endpoints: { [provider]: `${server.url}/v1` } });

/** An OpenAI Chat Completions stream: the text in pieces, then a usage chunk, then [DONE]. */

describe('providers through the AI SDK, against local wire-format servers', () => {
  it('OpenAI: Chat Completions with the key, model, system prompt and message; usage read back', async () => {
    server.reply({ body: chatCompletion('release notes') });
    const result = await generateText({
      model: model('openai', 'gpt-test'),
      system: 'You write release notes.',
      prompt: 'Commits: a, b',
      maxRetries: 0,
    });
    expect(result.text).toBe('release notes');
    expect(result.usage).toMatchObject({ inputTokens: 21, outputTokens: 4 });
    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request).toMatchObject({ method: 'POST', path: '/v1/chat/completions' });
    expect(request!.headers.authorization).toBe('Bearer key-openai');
    expect(request!.body).toMatchObject({
      model: 'gpt-test',
      messages: [
        { role: 'system', content: 'You write release notes.' },
        { role: 'user', content: 'Commits: a, b' },
      ],
    });
  });

  it('an OpenAI-compatible server: streamed text with non-zero usage (include_usage is asked for)', async () => {
    server.reply({ events: chatStream(['hel', 'lo']) });
    const result = streamText({
      model: model('openai-compatible', 'local-model'),
      system: 'Be brief.',
      prompt: 'Say hello',
      maxRetries: 0,
    });
    const pieces: string[] = [];
    for await (const piece of result.textStream) pieces.push(piece);
    expect(pieces.join('')).toBe('hello');
    expect(await result.usage).toMatchObject({ inputTokens: 30, outputTokens: 7 });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.body).toMatchObject({
      model: 'local-model',
      stream: true,
      stream_options: { include_usage: true },
    });
    // No key configured for the local server: no authorization header is invented.
    expect(server.requests[0]!.headers.authorization).toBeUndefined();
  });

  it('DeepSeek: its Chat Completions endpoint with its own key', async () => {
    server.reply({ body: chatCompletion('ok') });
    const result = await generateText({
      model: model('deepseek', 'deepseek-chat'),
      prompt: 'hi',
      maxRetries: 0,
    });
    expect(result.text).toBe('ok');
    expect(server.requests[0]).toMatchObject({
      path: '/v1/chat/completions',
      body: { model: 'deepseek-chat' },
    });
    expect(server.requests[0]!.headers.authorization).toBe('Bearer key-deepseek');
  });

  it('Anthropic: Messages with x-api-key and the system prompt apart; JSON and streamed', async () => {
    server.reply(anthropicReply({ text: 'spec', usage: { input: 40, output: 5 } }, false));
    const result = await generateText({
      model: model('anthropic', 'claude-test'),
      system: 'You write specs.',
      prompt: 'Brief: CSV export',
      maxOutputTokens: 500,
      maxRetries: 0,
    });
    expect(result.text).toBe('spec');
    expect(result.usage).toMatchObject({ inputTokens: 40, outputTokens: 5 });
    const [request] = server.requests;
    expect(request).toMatchObject({ method: 'POST', path: '/v1/messages' });
    expect(request!.headers['x-api-key']).toBe('key-anthropic');
    expect(request!.body).toMatchObject({
      model: 'claude-test',
      max_tokens: 500,
      system: [{ type: 'text', text: 'You write specs.' }],
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Brief: CSV export' }] }],
    });

    server.reply(anthropicReply({ text: 'streamed', usage: { input: 50, output: 9 } }, true));
    const streamed = streamText({
      model: model('anthropic', 'claude-test'),
      prompt: 'again',
      maxOutputTokens: 200,
      maxRetries: 0,
    });
    expect(await streamed.text).toBe('streamed');
    expect(await streamed.usage).toMatchObject({ inputTokens: 50, outputTokens: 9 });
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]!.body).toMatchObject({ stream: true });
  });

  it('runs a tool call: the model asks for a file, the SDK runs the tool, the answer follows (two requests)', async () => {
    const readFile = tool({
      description: 'Read an artifact of the run',
      inputSchema: jsonSchema<{ path: string }>({
        type: 'object',
        required: ['path'],
        properties: { path: { type: 'string' } },
      }),
      execute: ({ path }) => Promise.resolve(`contents of ${path}`),
    });
    server.reply(
      {
        body: {
          ...chatCompletion(''),
          choices: [
            {
              index: 0,
              message: {
                role: 'assistant',
                content: null,
                tool_calls: [
                  {
                    id: 'call_1',
                    type: 'function',
                    function: { name: 'read_file', arguments: '{"path":"spec.md"}' },
                  },
                ],
              },
              finish_reason: 'tool_calls',
            },
          ],
        },
      },
      { body: chatCompletion('the spec says CSV') },
    );
    const result = await generateText({
      model: model('openai', 'gpt-test'),
      prompt: 'What does the spec say?',
      tools: { read_file: readFile },
      stopWhen: stepCountIs(3),
      maxRetries: 0,
    });
    expect(result.text).toBe('the spec says CSV');
    expect(result.steps[0]!.toolCalls).toMatchObject([{ toolName: 'read_file', input: { path: 'spec.md' } }]);
    expect(result.totalUsage).toMatchObject({ inputTokens: 42, outputTokens: 8 });
    expect(server.requests).toHaveLength(2);
    expect(server.requests[0]!.body).toMatchObject({
      tools: [
        { type: 'function', function: { name: 'read_file', description: 'Read an artifact of the run' } },
      ],
    });
    // The second request carries the tool's result back to the model.
    expect(server.requests[1]!.body['messages']).toContainEqual({
      role: 'tool',
      tool_call_id: 'call_1',
      content: 'contents of spec.md',
    });
  });

  it('sends one request per call and reports the status of a failed one (retries are the phase policy)', async () => {
    server.reply({ status: 429, body: { error: { message: 'rate limited', type: 'rate_limit' } } });
    await expect(
      generateText({ model: model('openai', 'gpt-test'), prompt: 'hi', maxRetries: 0 }),
    ).rejects.toMatchObject({ statusCode: 429 });
    expect(server.requests).toHaveLength(1);
  });

  it('names what to set when a provider has no key or no server, never falling back to another', () => {
    const none = () => undefined;
    expect(() => createLanguageModel({ provider: 'anthropic', model: 'claude' }, { keys: none })).toThrow(
      /provider "anthropic", which has no API key: set ANTHROPIC_API_KEY/,
    );
    expect(() =>
      createLanguageModel({ provider: 'openai-compatible', model: 'llama' }, { keys: none }),
    ).toThrow(/set BATON_OPENAI_BASE_URL/);
    expect(environmentKeys({ OPENAI_API_KEY: 'sk-1', ANTHROPIC_API_KEY: ' ' })('openai')).toBe('sk-1');
    expect(environmentKeys({ ANTHROPIC_API_KEY: ' ' })('anthropic')).toBeUndefined();
    expect(environmentEndpoints({ BATON_OPENAI_BASE_URL: 'http://localhost:11434/v1' })).toEqual({
      'openai-compatible': 'http://localhost:11434/v1',
    });
  });
});
