/**
 * Model defaults that yield, through the real Anthropic and OpenAI SDK packages against a local
 * server speaking their wire formats: an agent's recommended model and its `max_tokens` reach the
 * provider when its key is set; the installation's setting for the agent replaces them; without
 * the key the recommendation yields to the installation's model (with a warning saying so), and
 * with no key anywhere the phase runs offline; a call's timeout is its model setting's.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PhaseDefinition, PhaseTask, RecommendedModel } from '@baton/engine';
import { recordingAttemptContext } from '@baton/engine/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createAgentHandler,
  openCassette,
  type AgentHandlerOptions,
  type InstallationConfig,
} from '../src/index.js';
import { anthropicReply, openAiReply, startWireServer, type WireServer } from './wire-server.js';

let server: WireServer;
beforeEach(async () => {
  server = await startWireServer();
});
afterEach(async () => {
  await server.close();
});

/** The implementer of the `feature` workflow: a long answer that needs minutes. */
const recommended: RecommendedModel = {
  provider: 'anthropic',
  model: 'claude-opus-4-6',
  maxTokens: 128_000,
  callTimeoutMs: 600_000,
};

function task(options: { readonly phaseModel?: PhaseDefinition['model'] } = {}): PhaseTask {
  const phase: PhaseDefinition = {
    id: 'implement',
    kind: 'agent',
    agent: 'implementer',
    needs: [],
    gate: false,
    fixtures: 'fixtures.yaml',
    retry: { maxAttempts: 1, backoffMs: 10, maxBackoffMs: 10, maxRecoveries: 1 },
    timeoutMs: 60_000,
    onFailure: 'continue',
    ...(options.phaseModel === undefined ? {} : { model: options.phaseModel }),
  };
  return {
    runId: 'run-1',
    phaseId: 'implement',
    attempt: 1,
    phase,
    workflow: {
      id: 'feature',
      version: 1,
      fixtures: 'fixtures.yaml',
      agents: { implementer: { system: 'You implement the plan.', tools: [], recommended } },
      phases: [phase],
    },
    fixtures: { 'fixtures.yaml': { implement: { output: 'Offline: implemented from fixtures.' } } },
    runInputs: { brief: 'A to-do app with login.' },
    upstream: [],
    earlier: [],
  };
}

const answer = { text: 'Implemented.', usage: { input: 40, output: 6 } };
const signal = new AbortController().signal;
const key = { runId: 'run-1', phaseId: 'implement', attempt: 1 };

/** A handler with the given keys (by provider), both providers pointed at the local server. */
function handler(
  keys: Record<string, string>,
  config: Partial<InstallationConfig> = {},
  offline = false,
  more: Partial<AgentHandlerOptions> = {},
) {
  const options: AgentHandlerOptions = {
    keys: (provider) => keys[provider],
    endpoints: { anthropic: `${server.url}/v1`, openai: `${server.url}/v1` },
    config: { prices: {}, ...config },
    offline,
    ...more,
  };
  return createAgentHandler(options);
}

describe('model defaults that yield', () => {
  it('sends the agent’s recommended model and max_tokens to Anthropic when its key is set', async () => {
    server.reply(anthropicReply(answer, true));
    const context = recordingAttemptContext(key);
    const result = await handler(
      { anthropic: 'sk-ant' },
      { model: { provider: 'openai', model: 'gpt-4.1' } },
    ).execute(task(), signal, context);
    expect(result).toMatchObject({ ok: true, output: { text: 'Implemented.' } });
    expect(server.requests.map((r) => r.path)).toEqual(['/v1/messages']);
    expect(server.requests[0]!.body).toMatchObject({ model: 'claude-opus-4-6', max_tokens: 128_000 });
    expect(context.calls).toMatchObject([{ provider: 'anthropic', model: 'claude-opus-4-6', status: 'ok' }]);
    expect(context.warnings).toEqual([]);
  });

  it('replaces the recommendation with the installation’s setting for the agent', async () => {
    server.reply(anthropicReply(answer, true));
    const context = recordingAttemptContext(key);
    const agentModels = { implementer: { model: 'claude-sonnet-4-5', maxTokens: 32_000 } };
    const result = await handler(
      { anthropic: 'sk-ant' },
      { model: { provider: 'anthropic' }, agentModels },
    ).execute(task(), signal, context);
    expect(result).toMatchObject({ ok: true });
    expect(server.requests[0]!.body).toMatchObject({ model: 'claude-sonnet-4-5', max_tokens: 32_000 });
    expect(context.calls).toMatchObject([{ provider: 'anthropic', model: 'claude-sonnet-4-5' }]);
  });

  it('puts the phase’s own setting over the installation’s for the agent', async () => {
    server.reply(openAiReply(answer, false));
    const context = recordingAttemptContext(key);
    const result = await handler(
      { anthropic: 'sk-ant', openai: 'sk-oai' },
      { agentModels: { implementer: { provider: 'anthropic', model: 'claude-sonnet-4-5' } } },
    ).execute(task({ phaseModel: { provider: 'openai', model: 'gpt-4.1', stream: false } }), signal, context);
    expect(result).toMatchObject({ ok: true });
    expect(server.requests.map((r) => r.path)).toEqual(['/v1/chat/completions']);
    // The recommendation is dropped whole: not its 128,000 tokens on another model.
    expect(server.requests[0]!.body).toMatchObject({ model: 'gpt-4.1', max_tokens: 4096 });
  });

  it('yields to the installation’s model when the recommended provider has no key, and warns why', async () => {
    server.reply(openAiReply(answer, true));
    const context = recordingAttemptContext(key);
    const result = await handler(
      { openai: 'sk-oai' },
      { model: { provider: 'openai', model: 'gpt-4.1' } },
    ).execute(task(), signal, context);
    expect(result).toMatchObject({ ok: true });
    expect(server.requests.map((r) => r.path)).toEqual(['/v1/chat/completions']);
    expect(server.requests[0]!.body).toMatchObject({ model: 'gpt-4.1', max_tokens: 4096 });
    expect(context.warnings).toEqual([
      {
        code: 'RECOMMENDED_MODEL_UNAVAILABLE',
        message:
          'agent "implementer" recommends anthropic "claude-opus-4-6", which is not configured (set ANTHROPIC_API_KEY to use it): it runs on openai "gpt-4.1" from baton.config.yaml model',
      },
    ]);
  });

  it('fails the phase with PROVIDER_NOT_CONFIGURED naming the key when another provider is configured but no model fits', async () => {
    const context = recordingAttemptContext(key);
    const result = await handler({ openai: 'sk-oai' }).execute(task(), signal, context);
    expect(result).toMatchObject({
      ok: false,
      retryable: false,
      error: {
        code: 'PROVIDER_NOT_CONFIGURED',
        message: expect.stringContaining(
          'its agent recommends anthropic "claude-opus-4-6", but that provider is not configured: set ANTHROPIC_API_KEY',
        ),
      },
    });
    expect(server.requests).toEqual([]);
  });

  it('runs offline on the fixtures when no provider is configured anywhere', async () => {
    const context = recordingAttemptContext(key);
    const result = await handler({}, {}, true).execute(task(), signal, context);
    expect(result).toMatchObject({ ok: true, output: { text: 'Offline: implemented from fixtures.' } });
    expect(server.requests).toEqual([]);
    expect(context.calls).toMatchObject([{ provider: 'scripted', model: 'scripted', status: 'ok' }]);
    // Offline is the run's own label, not a warning on every phase.
    expect(context.warnings).toEqual([]);
  });

  it('says where the model came from when its provider has no key', async () => {
    const context = recordingAttemptContext(key);
    const result = await handler(
      {},
      { agentModels: { implementer: { provider: 'deepseek', model: 'deepseek-chat' } } },
      true,
    ).execute(task(), signal, context);
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: 'PROVIDER_NOT_CONFIGURED',
        message: expect.stringMatching(
          /uses provider "deepseek", which has no API key: set DEEPSEEK_API_KEY.*; the model comes from baton\.config\.yaml agents\.models\.implementer$/,
        ),
      },
    });
  });
});

describe('call timeouts per agent', () => {
  it('gives the recommended model’s call its own timeout, not the installation’s shorter one', async () => {
    // The provider answers after 300 ms; the installation would cut a call at 100 ms.
    server.reply({ ...anthropicReply(answer, true), afterMs: 300 });
    const context = recordingAttemptContext(key);
    const result = await handler({ anthropic: 'sk-ant' }, { callTimeoutMs: 100 }).execute(
      task(),
      signal,
      context,
    );
    expect(result).toMatchObject({ ok: true, output: { text: 'Implemented.' } });
  });

  it('cuts a call at the most specific timeout: the installation’s for the agent over the recommendation', async () => {
    server.reply({ hang: true });
    const context = recordingAttemptContext(key);
    const result = await handler(
      { anthropic: 'sk-ant' },
      { callTimeoutMs: 20_000, agentModels: { implementer: { callTimeoutMs: 200 } } },
    ).execute(task(), signal, context);
    expect(result).toEqual({
      ok: false,
      retryable: true,
      error: {
        code: 'PROVIDER_ERROR',
        message: 'anthropic model "claude-opus-4-6": timeout: no answer within 0.2s',
      },
    });
  });
});

describe('record / replay of a recommended model', () => {
  it('replays with no key the recommended model it recorded, instead of going offline', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'baton-recommended-'));
    try {
      const path = join(dir, 'feature.json');
      server.reply(anthropicReply(answer, true));
      const recorded = await handler({ anthropic: 'sk-ant' }, {}, false, {
        llm: { mode: 'record', cassetteFor: () => openCassette(path) },
      }).execute(task(), signal, recordingAttemptContext(key));
      expect(recorded).toMatchObject({ ok: true, output: { text: 'Implemented.' } });

      // No key anywhere (so offline), yet replay answers as the recording did: no request, same model.
      const context = recordingAttemptContext(key);
      const replayed = await handler({}, {}, true, {
        llm: { mode: 'replay', cassetteFor: () => openCassette(path) },
      }).execute(task(), signal, context);
      expect(replayed).toEqual(recorded);
      expect(server.requests).toHaveLength(1);
      expect(context.calls).toMatchObject([{ provider: 'anthropic', model: 'claude-opus-4-6' }]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('reviewer independence with recommended models', () => {
  /** `review` reviews `implement`; both agents recommend Claude Sonnet unless `reviewer` says otherwise. */
  function reviewerTask(reviewer: Partial<RecommendedModel> | undefined): PhaseTask {
    const base = task();
    const sonnet: RecommendedModel = { provider: 'anthropic', model: 'claude-sonnet-4-5' };
    const review: PhaseDefinition = {
      ...base.phase,
      id: 'review',
      agent: 'checker',
      needs: ['implement'],
      reviews: 'implement',
      review: { rounds: 2, reReview: true, onRoundsExhausted: 'human', advisory: false },
    };
    return {
      ...base,
      phaseId: 'review',
      phase: review,
      workflow: {
        ...base.workflow,
        agents: {
          implementer: { system: 'You implement the plan.', tools: [], recommended: sonnet },
          checker: {
            system: 'You review the code.',
            tools: [],
            ...(reviewer === undefined ? {} : { recommended: { ...sonnet, ...reviewer } }),
          },
        },
        phases: [base.phase, review],
      },
    };
  }
  const config = {
    model: { provider: 'anthropic', model: 'claude-sonnet-4-5' },
    reviewModel: { provider: 'openai', model: 'gpt-4.1' },
  } as const;
  const reviewKey = { ...key, phaseId: 'review' };

  it('moves a reviewer on the installation’s model to reviewModel when its author runs on the same one', async () => {
    server.reply(openAiReply(answer, true));
    const context = recordingAttemptContext(reviewKey);
    await handler({ anthropic: 'sk-ant', openai: 'sk-oai' }, config).execute(
      reviewerTask(undefined),
      signal,
      context,
    );
    expect(server.requests[0]!.body).toMatchObject({ model: 'gpt-4.1' });
    expect(context.warnings).toEqual([]);
  });

  it('does not warn about a reviewer running offline: fixtures answer it and its author', async () => {
    const context = recordingAttemptContext(reviewKey);
    const offlineTask = reviewerTask(undefined);
    const result = await handler({}, {}, true).execute(
      { ...offlineTask, fixtures: { 'fixtures.yaml': { review: { output: 'Looks right.' } } } },
      signal,
      context,
    );
    expect(result).toMatchObject({ ok: true });
    expect(context.calls).toMatchObject([{ provider: 'scripted' }]);
    expect(context.warnings).toEqual([]);
  });

  it('keeps a reviewer’s recommended model — the workflow author’s choice for it — and warns when it is its author’s', async () => {
    server.reply(anthropicReply(answer, true));
    const context = recordingAttemptContext(reviewKey);
    await handler({ anthropic: 'sk-ant', openai: 'sk-oai' }, config).execute(
      reviewerTask({}),
      signal,
      context,
    );
    expect(server.requests[0]!.body).toMatchObject({ model: 'claude-sonnet-4-5' });
    expect(context.warnings).toMatchObject([{ code: 'REVIEWER_SAME_MODEL' }]);

    // Another recommended model: independent, nothing to say.
    server.reply(anthropicReply(answer, true));
    const other = recordingAttemptContext(reviewKey);
    await handler({ anthropic: 'sk-ant' }, config).execute(
      reviewerTask({ model: 'claude-haiku-4-5', maxTokens: 500 }),
      signal,
      other,
    );
    expect(server.requests[1]!.body).toMatchObject({ model: 'claude-haiku-4-5', max_tokens: 500 });
    expect(other.warnings).toEqual([]);
  });
});
