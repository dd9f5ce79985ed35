/**
 * The agent phase handler through the real SDK against a local OpenAI Chat Completions server
 * (streamed answers): the prompt it sends, what it records in the ledger, typed outputs asked
 * again with the validation errors, provider failures (status, malformed stream, timeout),
 * budgets, interrupts, live progress, reviewer independence and record/replay cassettes.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ModelCallRecord, PhaseDefinition, PhaseTask, WorkflowDefinition } from '@baton/engine';
import { recordingAttemptContext } from '@baton/engine/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAgentHandler, openCassette, type AgentHandlerOptions } from '../src/index.js';
import { chatStream, startWireServer, type WireServer } from './wire-server.js';

let server: WireServer;
let dir: string;
beforeEach(async () => {
  server = await startWireServer();
  dir = await mkdtemp(join(tmpdir(), 'baton-agent-'));
});
afterEach(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
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
    phaseId: def.id,
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

/** A streamed answer in three pieces, with 50 input and 10 output tokens. */
const answer = (content: string) => ({
  events: chatStream([content.slice(0, 5), content.slice(5, 12), content.slice(12)], {
    input: 50,
    output: 10,
  }),
});

const prices = { 'openai/gpt-test': { input: 2, output: 8 } };
const handler = (options: Partial<AgentHandlerOptions> = {}) =>
  createAgentHandler({
    keys: () => 'sk-test',
    endpoints: { openai: `${server.url}/v1` },
    config: { prices },
    ...options,
  });
const signal = new AbortController().signal;
const notesKey = { runId: 'run-1', phaseId: 'notes', attempt: 1 };
type Body = { model: string; stream?: boolean; messages: { role: string; content: string }[] };

describe('the agent handler', () => {
  it('sends the governance preamble, the agent’s system prompt, the run inputs and the labelled artifacts, and records the call', async () => {
    server.reply(answer('{"title":"Baton 0.2"}'));
    const context = recordingAttemptContext(notesKey);
    const result = await handler().execute(task(), signal, context);
    expect(result).toMatchObject({ ok: true, output: { mediaType: 'application/json' } });
    expect(result.ok && JSON.parse(result.output.text)).toEqual({ title: 'Baton 0.2' });
    expect(server.requests).toHaveLength(1);
    const body = server.requests[0]!.body as Body;
    expect(body).toMatchObject({ model: 'gpt-test', stream: true });
    expect(body.messages[0]).toEqual({
      role: 'system',
      content: 'Never invent facts.\n\nYou turn a commit log into release notes.',
    });
    expect(body.messages[1]!.content).toContain('- repo: baton');
    expect(body.messages[1]!.content).toContain('### collect\na1 add map\nb2 fix gate');
    // Structured output: the schema goes to the provider.
    expect(server.requests[0]!.body['response_format']).toMatchObject({ type: 'json_schema' });
    // The ledger: one row with the streamed usage and its cost (50 × $2 + 10 × $8 per million).
    expect(context.calls).toEqual([
      {
        runId: 'run-1',
        phaseId: 'notes',
        attempt: 1,
        agent: 'summarizer',
        provider: 'openai',
        model: 'gpt-test',
        inputTokens: 50,
        outputTokens: 10,
        cachedTokens: 0,
        costUsd: 0.00018,
        latencyMs: expect.any(Number),
        status: 'ok',
        at: expect.any(Number),
      },
    ]);
  });

  it('puts the installation’s governance before the workflow’s', async () => {
    server.reply(answer('{"title":"x"}'));
    await handler({ config: { prices, governance: 'Cite your sources.' } }).execute(
      task(),
      signal,
      recordingAttemptContext(notesKey),
    );
    expect((server.requests[0]!.body as Body).messages[0]!.content).toBe(
      'Cite your sources.\n\nNever invent facts.\n\nYou turn a commit log into release notes.',
    );
  });

  it('asks again with the exact validation errors and its previous answer, then accepts the fix: two ledger rows', async () => {
    server.reply(answer('{"heading":"Baton 0.2"}'), answer('{"title":"Baton 0.2"}'));
    const context = recordingAttemptContext(notesKey);
    const result = await handler().execute(task(), signal, context);
    expect(result.ok && JSON.parse(result.output.text)).toEqual({ title: 'Baton 0.2' });
    expect(server.requests).toHaveLength(2);
    const messages = (server.requests[1]!.body as Body).messages;
    expect(messages.at(-2)).toEqual({ role: 'assistant', content: '{"heading":"Baton 0.2"}' });
    expect(messages.at(-1)!.content).toMatch(
      /does not match the required output schema:\n.*title.*is required/,
    );
    expect(context.calls.map((c) => [c.status, c.inputTokens, c.outputTokens])).toEqual([
      ['ok', 50, 10],
      ['ok', 50, 10],
    ]);
  });

  it('fails with the validation report when no try fits (retryable: the phase policy decides)', async () => {
    server.reply(answer('{}'), answer('{}'), answer('not json at all'));
    const context = recordingAttemptContext(notesKey);
    const result = await handler().execute(task(), signal, context);
    expect(result).toMatchObject({ ok: false, retryable: true, error: { code: 'OUTPUT_SCHEMA' } });
    expect(server.requests).toHaveLength(3);
    expect(context.calls).toHaveLength(3);
  });

  it('returns free markdown when the phase has no output schema, streaming it as progress', async () => {
    server.reply(answer('# Baton 0.2\n- maps\n- gates'));
    const context = recordingAttemptContext(notesKey);
    const result = await handler().execute(task({ output: undefined }), signal, context);
    expect(result).toMatchObject({
      ok: true,
      output: { mediaType: 'text/plain', text: '# Baton 0.2\n- maps\n- gates' },
    });
    // Throttled to at most 10 per second: the pieces arrive at once, so the first and the last.
    const updates = context.progress.updates;
    expect(updates.length).toBeGreaterThanOrEqual(1);
    expect(updates.length).toBeLessThanOrEqual(2);
    expect(updates.at(-1)).toMatchObject({ text: '# Baton 0.2\n- maps\n- gates' });
  });

  it('streams partial objects of a structured answer', async () => {
    server.reply(answer('{"title":"Baton 0.2 is here"}'));
    const context = recordingAttemptContext(notesKey);
    await handler().execute(task(), signal, context);
    expect(context.progress.updates.at(-1)).toMatchObject({ object: { title: 'Baton 0.2 is here' } });
  });

  it('names the provider, model and status of a failed call; 429 and 5xx are retryable, 400 is not; each is a ledger row', async () => {
    server.reply(
      { status: 500, body: { error: { message: 'upstream down' } } },
      { status: 429, body: { error: { message: 'slow down' } } },
      { status: 400, body: { error: { message: 'bad request' } } },
    );
    const context = recordingAttemptContext(notesKey);
    expect(await handler().execute(task(), signal, context)).toMatchObject({
      ok: false,
      retryable: true,
      error: { code: 'PROVIDER_ERROR', message: expect.stringMatching(/^openai model "gpt-test": HTTP 500/) },
    });
    expect(await handler().execute(task(), signal, context)).toMatchObject({
      ok: false,
      retryable: true,
      error: { message: expect.stringMatching(/^openai model "gpt-test": HTTP 429/) },
    });
    expect(await handler().execute(task(), signal, context)).toMatchObject({ ok: false, retryable: false });
    expect(server.requests).toHaveLength(3);
    expect(context.calls.map((c) => [c.status, c.error])).toEqual([
      ['error', expect.stringContaining('upstream down')],
      ['error', expect.stringContaining('slow down')],
      ['error', expect.stringContaining('bad request')],
    ]);
  });

  it('fails a malformed stream (retryable), naming the provider and model', async () => {
    server.reply({
      events: [{ data: '{"id":"x","choices":[{"index":0,"delta":{"content":' }, { data: '[DONE]' }],
    });
    const context = recordingAttemptContext(notesKey);
    const result = await handler().execute(task({ output: undefined }), signal, context);
    expect(result).toMatchObject({
      ok: false,
      retryable: true,
      error: { code: 'PROVIDER_ERROR', message: expect.stringMatching(/^openai model "gpt-test": /) },
    });
    expect(server.requests).toHaveLength(1);
    expect(context.calls).toMatchObject([{ status: 'error' }]);
  });

  it('gives up on a call that gets no answer within the call timeout (retryable), after one request', async () => {
    server.reply({ hang: true });
    const context = recordingAttemptContext(notesKey);
    const result = await handler({ config: { prices, callTimeoutMs: 300 } }).execute(task(), signal, context);
    expect(result).toMatchObject({
      ok: false,
      retryable: true,
      error: { code: 'PROVIDER_ERROR', message: 'openai model "gpt-test": timeout: no answer within 0.3s' },
    });
    expect(server.requests).toHaveLength(1);
    expect(context.calls).toMatchObject([{ status: 'error', error: 'no answer within 0.3s' }]);
  });

  it('fails without calling anything when no model is set or the provider has no key', async () => {
    const noModel = await handler().execute(
      task({}, { model: undefined }),
      signal,
      recordingAttemptContext(notesKey),
    );
    expect(noModel).toMatchObject({
      ok: false,
      retryable: false,
      error: { code: 'PROVIDER_NOT_CONFIGURED', message: expect.stringContaining('baton.config.yaml') },
    });
    const noKey = await handler({ keys: () => undefined }).execute(
      task(),
      signal,
      recordingAttemptContext(notesKey),
    );
    expect(noKey).toMatchObject({
      ok: false,
      error: { code: 'PROVIDER_NOT_CONFIGURED', message: expect.stringContaining('set OPENAI_API_KEY') },
    });
    expect(server.requests).toHaveLength(0);
  });

  it('uses the installation’s model under the workflow’s, and the offline scripted model when nothing is configured', async () => {
    server.reply(answer('{"title":"from config"}'));
    const configured = await handler({
      config: { prices, model: { provider: 'openai', model: 'gpt-config' } },
    }).execute(task({}, { model: undefined }), signal, recordingAttemptContext(notesKey));
    expect(configured.ok).toBe(true);
    expect((server.requests[0]!.body as Body).model).toBe('gpt-config');

    const context = recordingAttemptContext(notesKey);
    const offline = await handler({ offline: true }).execute(
      task({ fixtures: 'f.yaml' }, { model: undefined, fixtures: 'f.yaml' }),
      signal,
      context,
    );
    expect(offline).toMatchObject({ ok: false, error: { code: 'FIXTURE_MISSING' } });
    const answered = await handler({ offline: true }).execute(
      {
        ...task({}, { model: undefined, fixtures: 'f.yaml' }),
        fixtures: { 'f.yaml': { notes: { output: { title: 'offline' } } } },
      },
      signal,
      context,
    );
    expect(answered.ok && JSON.parse(answered.output.text)).toEqual({ title: 'offline' });
    expect(context.calls.at(-1)).toMatchObject({
      provider: 'scripted',
      model: 'scripted',
      costUsd: 0,
      status: 'ok',
    });
    expect(server.requests).toHaveLength(1);
  });
});

describe('budgets', () => {
  const earlier = (tokens: number): ModelCallRecord => ({
    runId: 'run-1',
    phaseId: 'plan',
    attempt: 1,
    agent: 'planner',
    provider: 'openai',
    model: 'gpt-test',
    inputTokens: tokens,
    outputTokens: 0,
    cachedTokens: 0,
    costUsd: 0.5,
    latencyMs: 1,
    status: 'ok',
    at: 1,
  });

  it('suspends the attempt before a call that would cross the run’s token budget, sending nothing', async () => {
    const context = recordingAttemptContext(notesKey, [earlier(990)]);
    const result = await handler().execute(
      { ...task(), budgets: { run: { tokens: 1000 } } },
      signal,
      context,
    );
    expect(result).toMatchObject({
      ok: false,
      suspended: {
        source: 'budget',
        reason: expect.stringMatching(/^the run’s budget of 1,000 tokens would be crossed: 990 used/),
      },
    });
    expect(server.requests).toHaveLength(0);
    expect(context.calls).toHaveLength(0);
  });

  it('checks a phase’s dollar budget at the model’s input price', async () => {
    const context = recordingAttemptContext(notesKey, [{ ...earlier(10), phaseId: 'notes' }]);
    const result = await handler().execute({ ...task(), budgets: { phase: { usd: 0.5 } } }, signal, context);
    expect(result).toMatchObject({
      ok: false,
      suspended: {
        source: 'budget',
        reason: expect.stringMatching(/^phase "notes"’s budget of \$0.5000 would be crossed/),
      },
    });
  });

  it('warns once when a call takes usage past 80% of a budget', async () => {
    server.reply(answer('{"title":"x"}'));
    const context = recordingAttemptContext(notesKey, [earlier(700)]);
    const result = await handler().execute(
      { ...task(), budgets: { run: { tokens: 1000 } } },
      signal,
      context,
    );
    expect(result.ok).toBe(true);
    // 700 + 50 + 10 = 760 < 800: no warning yet; the next call crosses 80%.
    expect(context.warnings).toEqual([]);
    server.reply(answer('{"title":"y"}'));
    await handler().execute({ ...task(), budgets: { run: { tokens: 1000 } } }, signal, context);
    expect(context.warnings).toEqual([
      { code: 'BUDGET_WARNING', message: 'the run’s budget: 820 of 1,000 tokens used (82%)' },
    ]);
  });
});

describe('interrupts, progress and reviewers', () => {
  it('an agent’s interrupt suspends the attempt with its question; pauseRun is passed on', async () => {
    server.reply(answer('{"interrupt":{"reason":"Which database should the API use?","pauseRun":true}}'));
    const result = await handler().execute(task(), signal, recordingAttemptContext(notesKey));
    expect(result).toEqual({
      ok: false,
      suspended: { source: 'interrupt', reason: 'Which database should the API use?', pauseRun: true },
    });
    // Every prompt says how to interrupt.
    expect((server.requests[0]!.body as Body).messages[1]!.content).toContain('{"interrupt": {"reason"');
  });

  it('a markdown agent interrupts with the same JSON answer', async () => {
    server.reply(answer('```json\n{"interrupt":{"reason":"Need the API key scope"}}\n```'));
    const result = await handler().execute(
      task({ output: undefined }),
      signal,
      recordingAttemptContext(notesKey),
    );
    expect(result).toEqual({
      ok: false,
      suspended: { source: 'interrupt', reason: 'Need the API key scope' },
    });
  });

  const reviewerTask = (reviewer: Partial<PhaseDefinition> = {}) => {
    const author: PhaseDefinition = { ...task().phase, id: 'code', needs: [] };
    const review: PhaseDefinition = {
      ...task().phase,
      id: 'review',
      needs: ['code'],
      reviews: 'code',
      review: { rounds: 2, reReview: true, onRoundsExhausted: 'human', advisory: false },
      output: undefined,
      ...reviewer,
    };
    const base = task();
    return {
      ...base,
      phaseId: 'review',
      phase: review,
      workflow: { ...base.workflow, phases: [author, review] },
    };
  };

  it('warns when a reviewer runs on the model of the phase it reviews', async () => {
    server.reply(answer('approve'));
    const context = recordingAttemptContext(notesKey);
    await handler().execute(reviewerTask(), signal, context);
    expect(context.warnings).toEqual([
      {
        code: 'REVIEWER_SAME_MODEL',
        message: expect.stringContaining(
          'reviewer "review" runs on the same model as "code" (openai "gpt-test")',
        ),
      },
    ]);
  });

  it('a reviewer without a model of its own calls the installation’s reviewModel instead, without a warning', async () => {
    server.reply(answer('approve'));
    const context = recordingAttemptContext(notesKey);
    await handler({ config: { prices, reviewModel: { model: 'gpt-reviewer' } } }).execute(
      reviewerTask(),
      signal,
      context,
    );
    expect((server.requests[0]!.body as Body).model).toBe('gpt-reviewer');
    expect(context.warnings).toEqual([]);
    // A reviewer that names its own (same) model keeps it, and is warned about.
    server.reply(answer('approve'));
    await handler({ config: { prices, reviewModel: { model: 'gpt-reviewer' } } }).execute(
      reviewerTask({ model: { model: 'gpt-test' } }),
      signal,
      context,
    );
    expect((server.requests[1]!.body as Body).model).toBe('gpt-test');
    expect(context.warnings).toHaveLength(1);
  });
});

describe('record / replay', () => {
  it('records calls into a cassette, then replays them with no HTTP request and the same artifacts', async () => {
    const path = join(dir, 'cassette.json');
    const cassette = openCassette(path);
    server.reply(answer('{"heading":"x"}'), answer('{"title":"Baton 0.2"}'));
    const recorded = await handler({ llm: { mode: 'record', cassetteFor: () => cassette } }).execute(
      task(),
      signal,
      recordingAttemptContext(notesKey),
    );
    expect(server.requests).toHaveLength(2);
    const file = await readFile(path, 'utf8');
    expect(Object.keys((JSON.parse(file) as { calls: object }).calls)).toHaveLength(2);

    const context = recordingAttemptContext(notesKey);
    const replayed = await handler({
      keys: () => undefined,
      llm: { mode: 'replay', cassetteFor: () => openCassette(path) },
    }).execute(task(), signal, context);
    expect(replayed).toEqual(recorded);
    expect(server.requests).toHaveLength(2);
    // Replayed calls are in the ledger like live ones (same usage).
    expect(context.calls.map((c) => [c.inputTokens, c.outputTokens])).toEqual([
      [50, 10],
      [50, 10],
    ]);
  });

  it('fails replay of an unrecorded request naming it, without retrying', async () => {
    const result = await handler({
      llm: { mode: 'replay', cassetteFor: () => openCassette(join(dir, 'empty.json')) },
    }).execute(task(), signal, recordingAttemptContext(notesKey));
    expect(result).toMatchObject({
      ok: false,
      retryable: false,
      error: { code: 'CASSETTE_MISS', message: expect.stringContaining('BATON_LLM=record') },
    });
    expect(server.requests).toHaveLength(0);
  });
});
