/**
 * The scripted model through the AI SDK's own `generateText`/`streamText`, as the agent handler
 * calls a real provider: which fixture answers, consecutive replies, usage, streaming, tool calls,
 * failures and misses.
 */
import {
  formatProblems,
  validateJson,
  type FixtureFile,
  type JsonSchema,
  type PhaseDefinition,
  type PhaseTask,
  type WorkflowDefinition,
} from '@baton/engine';
import {
  APICallError,
  generateText,
  jsonSchema,
  NoObjectGeneratedError,
  Output,
  streamText,
  tool,
  type JSONSchema7,
} from 'ai';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isAgentsError } from './agents-error.js';
import { createScriptedModel } from './scripted-model.js';

const FILE = 'fixtures.yaml';

interface TaskOptions {
  readonly phase?: Partial<PhaseDefinition>;
  readonly workflow?: Partial<WorkflowDefinition>;
  readonly attempt?: number;
  /** The content of `fixtures.yaml`; `undefined`: the file was not loaded. */
  readonly fixtures?: FixtureFile | undefined;
}

function task(options: TaskOptions = {}): PhaseTask {
  const phase: PhaseDefinition = {
    id: 'notes',
    kind: 'agent',
    agent: 'writer',
    needs: [],
    gate: false,
    retry: { maxAttempts: 3, backoffMs: 10, maxBackoffMs: 10, maxRecoveries: 1 },
    timeoutMs: 60_000,
    onFailure: 'continue',
    ...options.phase,
  };
  const fixtures = 'fixtures' in options ? options.fixtures : {};
  return {
    runId: 'run-1',
    phaseId: phase.id,
    attempt: options.attempt ?? 1,
    phase,
    workflow: {
      id: 'release-notes',
      version: 1,
      fixtures: FILE,
      model: { provider: 'scripted', model: 'offline-1' },
      agents: { writer: { system: 'You write release notes.', tools: [] } },
      phases: [phase],
      ...options.workflow,
    },
    fixtures: fixtures === undefined ? {} : { [FILE]: fixtures },
    runInputs: {},
    upstream: [],
    earlier: [],
  };
}

/** One call as the agent handler makes it: no SDK retries (retrying is the phase's policy). */
async function ask(model: ReturnType<typeof createScriptedModel>, prompt = 'Write the notes.') {
  return generateText({ model, prompt, maxRetries: 0 });
}

/** The rejection of `promise` (fails the test when it resolves). */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

/** The `FIXTURE_MISSING` message of the first call of `t`. */
async function missMessage(t: PhaseTask, calls = 1): Promise<string> {
  const model = createScriptedModel(t, 'offline-1');
  for (let i = 1; i < calls; i += 1) await ask(model);
  const error = await rejection(ask(model));
  expect(isAgentsError(error, 'FIXTURE_MISSING')).toBe(true);
  return (error as Error).message;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('the scripted model', () => {
  it('answers from the entry keyed by the phase id, as a model of provider "scripted"', async () => {
    const model = createScriptedModel(task({ fixtures: { notes: { output: '# Baton 0.2' } } }), 'offline-1');
    expect(model).toMatchObject({ specificationVersion: 'v3', provider: 'scripted', modelId: 'offline-1' });
    const result = await ask(model);
    expect(result.text).toBe('# Baton 0.2');
    expect(result.finishReason).toBe('stop');
    expect(result.response).toMatchObject({
      id: 'scripted-notes-1-0',
      modelId: 'offline-1',
      timestamp: new Date(0),
    });
  });

  it('answers a JSON output as its JSON text', async () => {
    const output = { title: 'Baton 0.2', items: ['maps', 1, null] };
    const model = createScriptedModel(task({ fixtures: { notes: { output } } }), 'm');
    expect((await ask(model)).text).toBe(JSON.stringify(output));
  });

  it("answers a map's instance from its own entry, else its template's [*] entry", async () => {
    const instance = task({
      phase: { id: 'tasks[2].code', instanceOf: { map: 'tasks', index: 2, template: 'code' } },
      fixtures: { 'tasks[*].code': { output: 'any element' }, 'tasks[1].code': { output: 'element 1' } },
    });
    expect((await ask(createScriptedModel(instance, 'm'))).text).toBe('any element');
    const own = task({
      phase: { id: 'tasks[1].code', instanceOf: { map: 'tasks', index: 1, template: 'code' } },
      fixtures: { 'tasks[*].code': { output: 'any element' }, 'tasks[1].code': { output: 'element 1' } },
    });
    expect((await ask(createScriptedModel(own, 'm'))).text).toBe('element 1');
  });

  it("falls back to the entry keyed by the agent's name, which answers every phase of the agent", async () => {
    const fixtures: FixtureFile = { writer: { output: 'by the agent' }, review: { output: 'by the phase' } };
    expect((await ask(createScriptedModel(task({ fixtures }), 'm'))).text).toBe('by the agent');
    const review = task({ phase: { id: 'review' }, fixtures });
    expect((await ask(createScriptedModel(review, 'm'))).text).toBe('by the phase');
  });

  it("answers each attempt from attempts[n] when present, else the entry's own answer", async () => {
    const fixtures: FixtureFile = { notes: { output: 'default', attempts: { '2': { output: 'second' } } } };
    expect((await ask(createScriptedModel(task({ fixtures, attempt: 1 }), 'm'))).text).toBe('default');
    const second = createScriptedModel(task({ fixtures, attempt: 2 }), 'm');
    const result = await ask(second);
    expect(result.text).toBe('second');
    expect(result.response.id).toBe('scripted-notes-2-0');
    expect((await ask(createScriptedModel(task({ fixtures, attempt: 3 }), 'm'))).text).toBe('default');
  });

  it('answers every call of an attempt alike without replies', async () => {
    const model = createScriptedModel(task({ fixtures: { notes: { output: 'same' } } }), 'm');
    const texts = [(await ask(model)).text, (await ask(model)).text, (await ask(model)).text];
    expect(texts).toEqual(['same', 'same', 'same']);
  });

  it("answers the attempt's consecutive calls from replies, and misses beyond them", async () => {
    const fixtures: FixtureFile = {
      notes: { attempts: { '1': { replies: [{ output: 'first' }, { output: 'second' }] } } },
    };
    const model = createScriptedModel(task({ fixtures }), 'm');
    const first = await ask(model);
    const second = await ask(model);
    expect([first.text, second.text]).toEqual(['first', 'second']);
    expect([first.response.id, second.response.id]).toEqual(['scripted-notes-1-0', 'scripted-notes-1-1']);
    const error = await rejection(ask(model));
    expect(isAgentsError(error, 'FIXTURE_MISSING')).toBe(true);
    expect((error as Error).message).toBe(
      'no fixture for model call 2 of phase "notes" attempt 1 (agent "writer") in fixtures.yaml — ' +
        'the replies of attempts["1"] of the "notes" entry answer calls 0 to 1 only: ' +
        'add replies[2] (the answer to call 2) to them',
    );
    // A fresh model (the next attempt's) counts from call 0 again.
    expect((await ask(createScriptedModel(task({ fixtures }), 'm'))).text).toBe('first');
  });

  it('lets a schema-invalid first reply fail validation and a second one pass, as the handler re-asks', async () => {
    const fixtures: FixtureFile = {
      notes: { replies: [{ output: '{"heading":"Baton 0.2"}' }, { output: { title: 'Baton 0.2' } }] },
    };
    const model = createScriptedModel(task({ fixtures }), 'm');
    // As the agent handler builds it: the schema, validated with the engine's validator.
    const schema: JSONSchema7 = {
      type: 'object',
      required: ['title'],
      properties: { title: { type: 'string' } },
      additionalProperties: false,
    };
    const output = Output.object({
      schema: jsonSchema<{ title: string }>(schema, {
        validate: (value) => {
          const problems = validateJson(schema as JsonSchema, value);
          return problems.length === 0
            ? { success: true, value: value as { title: string } }
            : { success: false, error: new Error(formatProblems(problems)) };
        },
      }),
    });
    const call = () => generateText({ model, prompt: 'Write the notes.', maxRetries: 0, output });
    const error = await rejection(call());
    expect(NoObjectGeneratedError.isInstance(error)).toBe(true);
    expect((error as NoObjectGeneratedError).text).toBe('{"heading":"Baton 0.2"}');
    const result = await call();
    expect(result.output).toEqual({ title: 'Baton 0.2' });
  });

  it('reports the usage the fixture gives, inherited from the entry unless a reply sets its own', async () => {
    const fixtures: FixtureFile = {
      notes: {
        usage: { inputTokens: 1200, outputTokens: 80 },
        replies: [{ output: 'a' }, { output: 'b', usage: { inputTokens: 5, outputTokens: 0 } }],
      },
    };
    const model = createScriptedModel(task({ fixtures }), 'm');
    expect((await ask(model)).usage).toMatchObject({
      inputTokens: 1200,
      outputTokens: 80,
      totalTokens: 1280,
    });
    expect((await ask(model)).usage).toMatchObject({ inputTokens: 5, outputTokens: 0, totalTokens: 5 });
  });

  it('estimates usage at 4 characters a token over the system prompt, the messages and the answer', async () => {
    const answer = 'x'.repeat(41);
    const model = createScriptedModel(task({ fixtures: { notes: { output: answer } } }), 'm');
    const system = 'You write release notes.'; // 24 characters
    const prompt = 'Summarise the commits, please.'; // 30 characters
    const result = await generateText({ model, system, prompt, maxRetries: 0 });
    expect(result.usage).toMatchObject({ inputTokens: Math.ceil(54 / 4), outputTokens: Math.ceil(41 / 4) });
    // At least one token each way, even for an empty prompt and answer.
    const empty = createScriptedModel(task({ fixtures: { notes: { output: '' } } }), 'm');
    expect((await ask(empty, '')).usage).toMatchObject({ inputTokens: 1, outputTokens: 1 });
  });

  it('streams the answer in several text deltas, with the usage and response metadata', async () => {
    const answer = '# Baton 0.2\n\n- maps run their elements in parallel\n- gates wait for a person ✓';
    const model = createScriptedModel(task({ fixtures: { notes: { output: answer } } }), 'offline-1');
    const result = streamText({ model, prompt: 'Write the notes.', maxRetries: 0 });
    const deltas: string[] = [];
    for await (const delta of result.textStream) deltas.push(delta);
    expect(deltas.join('')).toBe(answer);
    expect(deltas.length).toBe(Math.ceil(Array.from(answer).length / 20));
    expect(await result.text).toBe(answer);
    expect(await result.finishReason).toBe('stop');
    expect(await result.usage).toMatchObject({ inputTokens: 4, outputTokens: Math.ceil(answer.length / 4) });
    expect((await result.response).id).toBe('scripted-notes-1-0');
  });

  it('answers with tool calls instead of text, generated or streamed', async () => {
    const fixtures: FixtureFile = {
      notes: { toolCalls: [{ tool: 'read_file', input: { path: 'CHANGELOG.md' } }] },
    };
    const tools = {
      read_file: tool({
        inputSchema: jsonSchema<{ path: string }>({
          type: 'object',
          required: ['path'],
          properties: { path: { type: 'string' } },
        }),
      }),
    };
    const generated = await generateText({
      model: createScriptedModel(task({ fixtures }), 'm'),
      prompt: 'Write the notes.',
      tools,
      maxRetries: 0,
    });
    expect(generated.finishReason).toBe('tool-calls');
    expect(generated.text).toBe('');
    expect(generated.toolCalls).toMatchObject([
      { toolCallId: 'call-0-0', toolName: 'read_file', input: { path: 'CHANGELOG.md' } },
    ]);

    const streamed = streamText({
      model: createScriptedModel(task({ fixtures }), 'm'),
      prompt: 'Write the notes.',
      tools,
      maxRetries: 0,
    });
    expect(await streamed.toolCalls).toMatchObject([
      { toolCallId: 'call-0-0', toolName: 'read_file', input: { path: 'CHANGELOG.md' } },
    ]);
    expect(await streamed.finishReason).toBe('tool-calls');
  });

  it('fails a call with "fail" as a provider server error (APICallError 500, retryable)', async () => {
    const fixtures: FixtureFile = { notes: { replies: [{ fail: 'model overloaded' }, { output: 'ok' }] } };
    const model = createScriptedModel(task({ fixtures }), 'm');
    const error = await rejection(ask(model));
    expect(APICallError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      statusCode: 500,
      isRetryable: true,
      message: 'scripted failure: model overloaded',
    });
    expect((await ask(model)).text).toBe('ok');
  });

  describe('misses: a FIXTURE_MISSING error saying what to add', () => {
    it('when neither the phase nor the workflow names a fixtures file', async () => {
      expect(await missMessage(task({ workflow: { fixtures: undefined } }))).toBe(
        'no fixture for model call 0 of phase "notes" attempt 1 (agent "writer"): neither the phase nor ' +
          'the workflow names a fixtures file — add "fixtures: <file>" to the workflow or the phase, ' +
          'with a "notes" entry',
      );
    });

    it('when the fixtures file was not loaded', async () => {
      expect(await missMessage(task({ fixtures: undefined }))).toBe(
        'no fixture for model call 0 of phase "notes" attempt 1 (agent "writer"): the fixtures file ' +
          'fixtures.yaml was not loaded — check that it exists',
      );
    });

    it('when no entry answers the phase, naming every key that would', async () => {
      expect(await missMessage(task({ fixtures: { other: { output: 'x' } } }))).toBe(
        'no fixture for model call 0 of phase "notes" attempt 1 (agent "writer") in fixtures.yaml — ' +
          'add a "notes" entry (or "writer" for every phase of the agent) with "output", or "attempts: {1: …}"',
      );
      const instance = task({
        phase: { id: 'tasks[0].code', instanceOf: { map: 'tasks', index: 0, template: 'code' } },
        fixtures: {},
      });
      expect(await missMessage(instance)).toContain(
        'add a "tasks[0].code" entry (or "tasks[*].code" for every element, or "writer" for every phase of the agent)',
      );
    });

    it('when the entry has no answer for this attempt', async () => {
      const fixtures: FixtureFile = { notes: { attempts: { '1': { output: 'x' } } } };
      expect(await missMessage(task({ fixtures, attempt: 2 }))).toBe(
        'no fixture for model call 0 of phase "notes" attempt 2 (agent "writer") in fixtures.yaml — ' +
          'the "notes" entry has no answer for attempt 2: add "output" (or "fail", "toolCalls", ' +
          '"replies") to it, or "attempts: {2: …}"',
      );
    });

    it('when the entry-level replies are used up', async () => {
      const fixtures: FixtureFile = { writer: { replies: [{ output: 'only one' }] } };
      expect(await missMessage(task({ fixtures }), 2)).toBe(
        'no fixture for model call 1 of phase "notes" attempt 1 (agent "writer") in fixtures.yaml — ' +
          'the replies of the "writer" entry answer calls 0 to 0 only: add replies[1] (the answer to call 1) to them',
      );
    });

    it('when streaming too, before any part is streamed', async () => {
      const model = createScriptedModel(task({ fixtures: {} }), 'm');
      const errors: unknown[] = [];
      const result = streamText({
        model,
        prompt: 'Write the notes.',
        maxRetries: 0,
        onError: ({ error }) => {
          errors.push(error);
        },
      });
      const deltas: string[] = [];
      for await (const delta of result.textStream) deltas.push(delta);
      expect(deltas).toEqual([]);
      expect(errors).toHaveLength(1);
      expect(isAgentsError(errors[0], 'FIXTURE_MISSING')).toBe(true);
    });
  });

  describe('delayMs', () => {
    // Fake timers: the wait ends when the test moves time, not when the machine gets round to it.
    it('waits before answering', async () => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      const model = createScriptedModel(task({ fixtures: { notes: { output: 'late', delayMs: 30 } } }), 'm');
      let answer: string | undefined;
      const call = ask(model).then((result) => (answer = result.text));
      await vi.advanceTimersByTimeAsync(29);
      expect(answer).toBeUndefined();
      await vi.advanceTimersByTimeAsync(1);
      await call;
      expect(answer).toBe('late');
    });

    it("rejects with the signal's reason when aborted during the wait", async () => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      const fixtures: FixtureFile = { notes: { output: 'never', delayMs: 60_000 } };
      const model = createScriptedModel(task({ fixtures }), 'm');
      const controller = new AbortController();
      const reason = new Error('phase timed out');
      const call = rejection(
        generateText({ model, prompt: 'x', maxRetries: 0, abortSignal: controller.signal }),
      );
      // Half-way through the wait; time then stands still, so only the abort can end the call.
      await vi.advanceTimersByTimeAsync(30_000);
      controller.abort(reason);
      expect(await call).toBe(reason);
    });

    it('rejects with an AbortError when aborted without a reason', async () => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      const fixtures: FixtureFile = { notes: { output: 'never', delayMs: 60_000 } };
      const model = createScriptedModel(task({ fixtures }), 'm');
      const controller = new AbortController();
      const call = rejection(
        generateText({ model, prompt: 'x', maxRetries: 0, abortSignal: controller.signal }),
      );
      await vi.advanceTimersByTimeAsync(30_000);
      controller.abort();
      expect(await call).toMatchObject({ name: 'AbortError' });
    });
  });
});
