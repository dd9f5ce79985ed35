import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateText, streamText, wrapLanguageModel } from 'ai';
import { convertArrayToReadableStream, MockLanguageModelV3 } from 'ai/test';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AgentsErrorCode, isAgentsError } from './agents-error.js';
import { llmModeFromEnv, openCassette, requestKey } from './cassette.js';

type CallOptions = MockLanguageModelV3['doGenerateCalls'][number];
type GenerateResult = Awaited<ReturnType<MockLanguageModelV3['doGenerate']>>;
type StreamPart =
  Awaited<ReturnType<MockLanguageModelV3['doStream']>>['stream'] extends ReadableStream<infer Part>
    ? Part
    : never;

const usage = {
  inputTokens: { total: 12, noCache: 12, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: 5, text: 5, reasoning: undefined },
};

/** The text of the call's last user message. */
function userText(options: CallOptions): string {
  const message = options.prompt.findLast((candidate) => candidate.role === 'user');
  if (message?.role !== 'user') return '';
  return message.content.map((part) => (part.type === 'text' ? part.text : '')).join('');
}

/** A model that echoes the user's message, with a fresh timestamp, headers and body each call. */
function echoModel(prefix = 'echo'): MockLanguageModelV3 {
  return new MockLanguageModelV3({
    provider: 'test-provider',
    modelId: 'test-model',
    doGenerate: (options): Promise<GenerateResult> =>
      Promise.resolve({
        content: [{ type: 'text', text: `${prefix}: ${userText(options)}` }],
        finishReason: { unified: 'stop', raw: 'end_turn' },
        usage,
        warnings: [],
        request: { body: { secret: 'request body' } },
        response: {
          id: 'resp-1',
          modelId: 'test-model-2025',
          timestamp: new Date(),
          headers: { 'x-request-id': String(Math.random()) },
          body: { raw: 'response body' },
        },
      }),
    doStream: (options) => {
      const words = `${prefix}: ${userText(options)}`.split(' ');
      const parts: StreamPart[] = [
        { type: 'stream-start', warnings: [] },
        { type: 'response-metadata', id: 'resp-1', modelId: 'test-model-2025', timestamp: new Date() },
        { type: 'raw', rawValue: { at: Date.now() } },
        { type: 'text-start', id: 't1' },
        ...words.map((word, index): StreamPart => ({
          type: 'text-delta',
          id: 't1',
          delta: index === 0 ? word : ` ${word}`,
        })),
        { type: 'text-end', id: 't1' },
        { type: 'finish', finishReason: { unified: 'stop', raw: 'end_turn' }, usage },
      ];
      return Promise.resolve({ stream: convertArrayToReadableStream(parts), response: { headers: {} } });
    },
  });
}

/** A cassette file as the tests read it. */
interface CassetteFile {
  version: number;
  calls: Record<
    string,
    {
      provider: string;
      modelId: string;
      kind: string;
      request: Record<string, unknown>;
      response: { chunks?: { type: string }[]; response?: unknown };
    }
  >;
}

async function readCassette(path: string): Promise<CassetteFile> {
  return JSON.parse(await readFile(path, 'utf8')) as CassetteFile;
}

/** A model that must not be called (replay). */
function unreachableModel(): MockLanguageModelV3 {
  return new MockLanguageModelV3({
    provider: 'test-provider',
    modelId: 'test-model',
    doGenerate: () => Promise.reject(new Error('replay called the model')),
    doStream: () => Promise.reject(new Error('replay called the model')),
  });
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'baton-cassette-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function recordGenerate(path: string, prompts: readonly string[]): Promise<void> {
  const cassette = openCassette(path);
  const model = wrapLanguageModel({ model: echoModel(), middleware: cassette.middleware('record') });
  for (const prompt of prompts) await generateText({ model, prompt, maxRetries: 0 });
}

describe('record and replay', () => {
  it('replays generateText with the recorded text, usage and finish reason, without calling the model', async () => {
    const path = join(dir, 'calls.cassette.json');
    const recording = openCassette(path);
    const live = echoModel();
    const recorded = await generateText({
      model: wrapLanguageModel({ model: live, middleware: recording.middleware('record') }),
      system: 'Be brief.',
      prompt: 'Write a haiku about queues',
      temperature: 0.2,
      maxRetries: 0,
    });
    expect(live.doGenerateCalls).toHaveLength(1);

    const model = unreachableModel();
    const replayed = await generateText({
      model: wrapLanguageModel({ model, middleware: openCassette(path).middleware('replay') }),
      system: 'Be brief.',
      prompt: 'Write a haiku about queues',
      temperature: 0.2,
      maxRetries: 0,
    });
    expect(model.doGenerateCalls).toHaveLength(0);
    expect(replayed.text).toBe('echo: Write a haiku about queues');
    expect(replayed.text).toBe(recorded.text);
    expect(replayed.usage).toEqual(recorded.usage);
    expect(replayed.finishReason).toBe(recorded.finishReason);
    expect(replayed.response.id).toBe('resp-1');
    expect(replayed.response.modelId).toBe('test-model-2025');
  });

  it('replays streamText chunk by chunk, without calling the model', async () => {
    const path = join(dir, 'stream.cassette.json');
    const live = echoModel();
    const recorded = streamText({
      model: wrapLanguageModel({ model: live, middleware: openCassette(path).middleware('record') }),
      prompt: 'Stream three words',
      maxRetries: 0,
    });
    const recordedText = await recorded.text;
    const recordedDeltas = (await recorded.steps)[0]!.content;
    expect(live.doStreamCalls).toHaveLength(1);

    const model = unreachableModel();
    const replayed = streamText({
      model: wrapLanguageModel({ model, middleware: openCassette(path).middleware('replay') }),
      prompt: 'Stream three words',
      maxRetries: 0,
    });
    const chunks: string[] = [];
    for await (const delta of replayed.textStream) chunks.push(delta);
    expect(model.doStreamCalls).toHaveLength(0);
    expect(chunks).toEqual(['echo:', ' Stream', ' three', ' words']);
    expect(await replayed.text).toBe(recordedText);
    expect((await replayed.steps)[0]!.content).toEqual(recordedDeltas);
    expect(await replayed.usage).toEqual(await recorded.usage);

    const file = await readCassette(path);
    const [entry] = Object.values(file.calls);
    expect(entry!.kind).toBe('stream');
    expect(entry!.response.chunks!.map((chunk) => chunk.type)).toEqual([
      'stream-start',
      'response-metadata',
      'text-start',
      'text-delta',
      'text-delta',
      'text-delta',
      'text-delta',
      'text-end',
      'finish',
    ]);
    expect(entry!.response.chunks![1]).toEqual({
      type: 'response-metadata',
      id: 'resp-1',
      modelId: 'test-model-2025',
    });
  });

  it('keeps the latest answer when the same request is recorded twice', async () => {
    const path = join(dir, 'twice.cassette.json');
    const cassette = openCassette(path);
    for (const prefix of ['first', 'second']) {
      const model = wrapLanguageModel({
        model: echoModel(prefix),
        middleware: cassette.middleware('record'),
      });
      await generateText({ model, prompt: 'hello', maxRetries: 0 });
    }
    const file = await readCassette(path);
    expect(Object.keys(file.calls)).toHaveLength(1);
    const replayed = await generateText({
      model: wrapLanguageModel({
        model: unreachableModel(),
        middleware: openCassette(path).middleware('replay'),
      }),
      prompt: 'hello',
      maxRetries: 0,
    });
    expect(replayed.text).toBe('second: hello');
  });

  it('round-trips binary content in a generated file', async () => {
    const path = join(dir, 'bytes.cassette.json');
    const bytes = new Uint8Array([0, 1, 2, 250, 255]);
    const live = new MockLanguageModelV3({
      doGenerate: {
        content: [{ type: 'file', mediaType: 'image/png', data: bytes }],
        finishReason: { unified: 'stop', raw: undefined },
        usage,
        warnings: [],
      },
    });
    const options: CallOptions = { prompt: [{ role: 'user', content: [{ type: 'text', text: 'draw' }] }] };
    const recorder = wrapLanguageModel({ model: live, middleware: openCassette(path).middleware('record') });
    await recorder.doGenerate(options);
    const replayer = wrapLanguageModel({
      model: new MockLanguageModelV3(),
      middleware: openCassette(path).middleware('replay'),
    });
    const result = await replayer.doGenerate(options);
    expect(result.content).toEqual([{ type: 'file', mediaType: 'image/png', data: bytes }]);
    expect(result.content[0]).toMatchObject({ data: expect.any(Uint8Array) });
  });
});

describe('a replay miss', () => {
  it('fails with CASSETTE_MISS naming the cassette, the model, the key and the request', async () => {
    const path = join(dir, 'miss.cassette.json');
    await recordGenerate(path, ['a recorded question']);
    const model = unreachableModel();
    const prompt = `Summarise the design\n  of the scheduler ${'and more '.repeat(40)}`;
    const error: unknown = await generateText({
      model: wrapLanguageModel({ model, middleware: openCassette(path).middleware('replay') }),
      prompt,
      maxRetries: 0,
    }).catch((caught: unknown) => caught);

    expect(isAgentsError(error, AgentsErrorCode.cassetteMiss)).toBe(true);
    const message = (error as Error).message;
    expect(message).toContain(path);
    expect(message).toContain('test-provider model "test-model"');
    expect(message).toContain('Summarise the design of the scheduler and more');
    expect(message).not.toContain('and more '.repeat(40));
    expect(message).toContain('BATON_LLM=record');
    const key = requestKey(
      { provider: 'test-provider', modelId: 'test-model' },
      { prompt: [{ role: 'user', content: [{ type: 'text', text: prompt }] }] },
      'generate',
    );
    expect(message).toContain(key);
    expect(model.doGenerateCalls).toHaveLength(0);
  });

  it('quotes the request with its control characters escaped, cut without splitting a surrogate pair', async () => {
    const path = join(dir, 'nothing-here.cassette.json');
    const error: unknown = await generateText({
      model: wrapLanguageModel({
        model: unreachableModel(),
        middleware: openCassette(path).middleware('replay'),
      }),
      prompt: `read \u001b[2Jthis ${'🎉'.repeat(300)}`,
      maxRetries: 0,
    }).catch((caught: unknown) => caught);
    expect(isAgentsError(error, AgentsErrorCode.cassetteMiss)).toBe(true);
    const message = (error as Error).message;
    expect(message).toContain('"read \\u001b[2Jthis 🎉');
    expect(message).not.toContain('\u001b');
    // No half of a pair: a high surrogate not followed by a low one.
    expect(message).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
  });

  it('treats a missing file as an empty cassette', async () => {
    const path = join(dir, 'nothing-here.cassette.json');
    const model = wrapLanguageModel({
      model: unreachableModel(),
      middleware: openCassette(path).middleware('replay'),
    });
    await expect(
      model.doStream({ prompt: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] }),
    ).rejects.toMatchObject({
      code: AgentsErrorCode.cassetteMiss,
      message: expect.stringContaining('"hi"'),
    });
  });

  it('fails with INVALID_CASSETTE on a file that is not a cassette', async () => {
    const path = join(dir, 'broken.cassette.json');
    await writeFile(path, '{"calls": ');
    const model = wrapLanguageModel({
      model: unreachableModel(),
      middleware: openCassette(path).middleware('replay'),
    });
    await expect(model.doGenerate({ prompt: [] })).rejects.toMatchObject({
      code: AgentsErrorCode.invalidCassette,
      message: expect.stringContaining(path),
    });
  });
});

describe('the cassette file', () => {
  it('is pretty, key-sorted JSON without timestamps, headers or bodies', async () => {
    const path = join(dir, 'file.cassette.json');
    await recordGenerate(path, ['one', 'two', 'three']);
    const text = await readFile(path, 'utf8');
    expect(text.endsWith('}\n')).toBe(true);
    const file = JSON.parse(text) as CassetteFile;
    expect(text).toBe(`${JSON.stringify(file, null, 2)}\n`);
    expect(file.version).toBe(1);
    const keys = Object.keys(file.calls);
    expect(keys).toHaveLength(3);
    expect(keys).toEqual([...keys].sort());
    for (const key of keys) expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
    expect(text).not.toContain('$date');
    expect(text).not.toContain('x-request-id');
    expect(text).not.toContain('request body');
    expect(text).not.toContain('response body');
    const entry = file.calls[keys[0]!]!;
    expect(entry).toMatchObject({ provider: 'test-provider', modelId: 'test-model', kind: 'generate' });
    expect(entry.request.prompt).toBeDefined();
    expect(entry.response.response).toEqual({ id: 'resp-1', modelId: 'test-model-2025' });
  });

  it('is byte-identical when the same calls are recorded again', async () => {
    const first = join(dir, 'first.cassette.json');
    const second = join(dir, 'nested', 'second.cassette.json');
    await recordGenerate(first, ['alpha', 'beta']);
    await recordGenerate(second, ['beta', 'alpha']);
    expect(await readFile(second, 'utf8')).toBe(await readFile(first, 'utf8'));
    const before = await readFile(first, 'utf8');
    await recordGenerate(first, ['alpha']);
    expect(await readFile(first, 'utf8')).toBe(before);
  });

  it('keeps every call recorded concurrently, from one cassette or two', async () => {
    const path = join(dir, 'concurrent.cassette.json');
    const cassette = openCassette(path);
    const other = openCassette(path);
    const model = wrapLanguageModel({ model: echoModel(), middleware: cassette.middleware('record') });
    const streaming = wrapLanguageModel({ model: echoModel(), middleware: cassette.middleware('record') });
    const otherModel = wrapLanguageModel({ model: echoModel(), middleware: other.middleware('record') });
    const prompts = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6'];
    const otherPrompts = ['q1', 'q2', 'q3'];
    await Promise.all([
      ...prompts.map((prompt) => generateText({ model, prompt, maxRetries: 0 })),
      ...otherPrompts.map((prompt) => generateText({ model: otherModel, prompt, maxRetries: 0 })),
      streamText({ model: streaming, prompt: 'streamed', maxRetries: 0 }).text,
    ]);
    await Promise.all([cassette.flush(), other.flush()]);

    const file = await readCassette(path);
    expect(Object.keys(file.calls)).toHaveLength(10);
    const replay = wrapLanguageModel({
      model: unreachableModel(),
      middleware: openCassette(path).middleware('replay'),
    });
    const all = [...prompts, ...otherPrompts];
    const answers = await Promise.all(
      all.map(async (prompt) => (await generateText({ model: replay, prompt, maxRetries: 0 })).text),
    );
    expect(answers).toEqual(all.map((prompt) => `echo: ${prompt}`));
    const streamed = streamText({ model: replay, prompt: 'streamed', maxRetries: 0 });
    expect(await streamed.text).toBe('echo: streamed');
  });
});

describe('requestKey', () => {
  const model = { provider: 'anthropic.messages', modelId: 'claude-x' };
  const prompt: CallOptions['prompt'] = [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: [{ type: 'text', text: 'hello' }] },
  ];

  it('does not depend on key order, the abort signal, headers, raw chunks or empty provider options', () => {
    const key = requestKey(model, { prompt, temperature: 0.5, maxOutputTokens: 100 }, 'generate');
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(
      requestKey(
        model,
        {
          maxOutputTokens: 100,
          abortSignal: new AbortController().signal,
          headers: { 'x-trace': '1' },
          includeRawChunks: true,
          providerOptions: {},
          topK: undefined,
          temperature: 0.5,
          prompt: [
            { content: 'Be brief.', role: 'system' },
            { content: [{ text: 'hello', type: 'text' }], role: 'user' },
          ],
        },
        'generate',
      ),
    ).toBe(key);
  });

  it('changes with the model, the kind and every option that decides the answer', () => {
    const key = requestKey(model, { prompt }, 'generate');
    const others = [
      requestKey({ ...model, modelId: 'claude-y' }, { prompt }, 'generate'),
      requestKey({ ...model, provider: 'openai.chat' }, { prompt }, 'generate'),
      requestKey(model, { prompt }, 'stream'),
      requestKey(
        model,
        { prompt: [{ role: 'user', content: [{ type: 'text', text: 'hello!' }] }] },
        'generate',
      ),
      requestKey(model, { prompt, temperature: 0 }, 'generate'),
      requestKey(model, { prompt, seed: 1 }, 'generate'),
      requestKey(model, { prompt, responseFormat: { type: 'json' } }, 'generate'),
      requestKey(model, { prompt, providerOptions: { anthropic: { thinking: true } } }, 'generate'),
    ];
    expect(new Set([key, ...others]).size).toBe(others.length + 1);
  });

  it('hashes binary and URL parts by their content', () => {
    const file = (data: Uint8Array | URL): CallOptions => ({
      prompt: [{ role: 'user', content: [{ type: 'file', mediaType: 'image/png', data }] }],
    });
    expect(requestKey(model, file(new Uint8Array([1, 2, 3])), 'generate')).toBe(
      requestKey(model, file(Buffer.from([1, 2, 3])), 'generate'),
    );
    expect(requestKey(model, file(new Uint8Array([1, 2, 3])), 'generate')).not.toBe(
      requestKey(model, file(new Uint8Array([1, 2, 4])), 'generate'),
    );
    expect(requestKey(model, file(new URL('https://example.com/a.png')), 'generate')).toBe(
      requestKey(model, file(new URL('https://example.com/a.png')), 'generate'),
    );
    expect(requestKey(model, file(new URL('https://example.com/a.png')), 'generate')).not.toBe(
      requestKey(model, file(new URL('https://example.com/b.png')), 'generate'),
    );
  });
});

describe('llmModeFromEnv', () => {
  it('reads live, record and replay, live when unset or blank', () => {
    expect(llmModeFromEnv({})).toBe('live');
    expect(llmModeFromEnv({ BATON_LLM: '  ' })).toBe('live');
    expect(llmModeFromEnv({ BATON_LLM: 'live' })).toBe('live');
    expect(llmModeFromEnv({ BATON_LLM: 'record' })).toBe('record');
    expect(llmModeFromEnv({ BATON_LLM: ' replay ' })).toBe('replay');
  });

  it('rejects anything else with INVALID_LLM_MODE naming the allowed values', () => {
    for (const value of ['playback', 'REPLAY', 'true']) {
      let error: unknown;
      try {
        llmModeFromEnv({ BATON_LLM: value });
      } catch (caught) {
        error = caught;
      }
      expect(isAgentsError(error, AgentsErrorCode.invalidLlmMode)).toBe(true);
      expect((error as Error).message).toContain(value);
      expect((error as Error).message).toContain('live, record or replay');
    }
  });
});
