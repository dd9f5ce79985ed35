import type { ModelProvider, RecommendedModel } from '@baton/engine';
import { describe, expect, it } from 'vitest';
import { chooseModel, installationAgentModels, type ModelLevels } from './choose-model.js';

const where = 'phase "implement" (agent "implementer")';
/** Only Anthropic has a key. */
const anthropicOnly = {
  offline: false,
  configured: (p: ModelProvider) => p === 'anthropic' || p === 'scripted',
};

const recommended: RecommendedModel = {
  provider: 'anthropic',
  model: 'claude-opus-4-6',
  maxTokens: 128_000,
  callTimeoutMs: 600_000,
};

/** Every level, each naming a model of its own. */
const all: ModelLevels = {
  phase: { provider: 'openai', model: 'phase-model' },
  agent: { provider: 'openai', model: 'agent-model' },
  workflow: { provider: 'openai', model: 'workflow-model' },
  agentSettings: [
    {
      origin: "the tenant's setting for implementer",
      setting: { provider: 'openai', model: 'tenant-model' },
    },
    { origin: 'baton.config.yaml agents.models.implementer', setting: { provider: 'openai', model: 'mine' } },
  ],
  recommended,
  installation: { provider: 'openai', model: 'installation-model' },
};

describe('chooseModel', () => {
  it('takes each level over every level below it, and says which one chose', () => {
    const order: [keyof ModelLevels | 'tenant', string, string][] = [
      ['phase', 'phase-model', 'phase'],
      ['agent', 'agent-model', 'agent'],
      ['workflow', 'workflow-model', 'workflow'],
      ['tenant', 'tenant-model', 'agent-setting'],
      ['agentSettings', 'mine', 'agent-setting'],
      ['recommended', 'claude-opus-4-6', 'recommended'],
      ['installation', 'installation-model', 'installation'],
    ];
    let levels: ModelLevels = all;
    for (const [level, model, source] of order) {
      const choice = chooseModel(levels, where, anthropicOnly);
      expect({ model: choice.setting.model, source: choice.source }).toEqual({ model, source });
      // Take the winning level away: the next one down must win.
      levels =
        level === 'tenant'
          ? { ...levels, agentSettings: levels.agentSettings!.slice(1) }
          : { ...levels, [level]: undefined };
    }
    // Nothing left and no provider configured anywhere: offline, on the fixtures.
    expect(chooseModel(levels, where, { offline: true, configured: () => false })).toMatchObject({
      setting: { provider: 'scripted', model: 'scripted' },
      source: 'offline',
    });
  });

  it('names where the chosen setting lives, for a person to change it', () => {
    const levels = { ...all, phase: undefined, agent: undefined, workflow: undefined };
    expect(chooseModel(levels, where, anthropicOnly).origin).toBe("the tenant's setting for implementer");
    expect(chooseModel({ recommended }, where, anthropicOnly).origin).toBe("the agent's recommended model");
  });

  it('uses the recommendation whole — model, maxTokens and call timeout — under more specific parts', () => {
    const choice = chooseModel(
      {
        phase: { temperature: 0.2 },
        agentSettings: [
          { origin: 'baton.config.yaml agents.models.implementer', setting: { maxTokens: 64_000 } },
        ],
        recommended,
        installation: { provider: 'openai', model: 'gpt-4.1', maxTokens: 2000, stream: false },
      },
      where,
      anthropicOnly,
    );
    expect(choice.setting).toEqual({
      provider: 'anthropic',
      model: 'claude-opus-4-6',
      temperature: 0.2,
      maxTokens: 64_000,
      callTimeoutMs: 600_000,
      stream: false,
    });
    expect(choice.source).toBe('recommended');
  });

  it('drops the whole recommendation when a more specific level names a provider or a model', () => {
    const cases: [ModelLevels, string][] = [
      [{ workflow: { provider: 'openai', model: 'gpt-4.1' } }, 'workflow'],
      [{ phase: { model: 'gpt-4.1' }, installation: { provider: 'openai' } }, 'phase'],
      [
        {
          agentSettings: [
            { origin: 'baton.config.yaml agents.models.implementer', setting: { provider: 'openai' } },
          ],
          installation: { model: 'gpt-4.1' },
        },
        'installation',
      ],
    ];
    for (const [levels, source] of cases) {
      const choice = chooseModel({ ...levels, recommended }, where, anthropicOnly);
      // Not the recommended model's 128,000 tokens or 10 minutes on another model: the defaults.
      expect(choice.setting).toEqual({ provider: 'openai', model: 'gpt-4.1', maxTokens: 4096 });
      expect(choice.source).toBe(source);
      expect(choice.unusedRecommendation).toBeUndefined();
    }
  });

  it('passes over a recommendation whose provider is not configured, to the installation’s model', () => {
    const openAiOnly = { offline: false, configured: (p: ModelProvider) => p === 'openai' };
    const choice = chooseModel(
      { recommended, installation: { provider: 'openai', model: 'gpt-4.1' } },
      where,
      openAiOnly,
    );
    expect(choice).toEqual({
      setting: { provider: 'openai', model: 'gpt-4.1', maxTokens: 4096 },
      source: 'installation',
      origin: 'baton.config.yaml model',
      unusedRecommendation: recommended,
    });
  });

  it('runs offline when the recommendation’s provider has no key and no provider is configured anywhere', () => {
    const choice = chooseModel({ recommended }, where, { offline: true, configured: () => false });
    expect(choice).toMatchObject({
      setting: { provider: 'scripted', model: 'scripted', maxTokens: 4096 },
      source: 'offline',
      unusedRecommendation: recommended,
    });
  });

  it('fails with PROVIDER_NOT_CONFIGURED naming the missing key when another provider is configured but no model fits', () => {
    const openAiOnly = { offline: false, configured: (p: ModelProvider) => p === 'openai' };
    expect(() => chooseModel({ recommended }, where, openAiOnly)).toThrow(
      expect.objectContaining({
        code: 'PROVIDER_NOT_CONFIGURED',
        message:
          'phase "implement" (agent "implementer") has no model (its agent recommends anthropic "claude-opus-4-6", but that provider is not configured: set ANTHROPIC_API_KEY): set model: { provider, model } on the phase, its agent or the workflow, or in baton.config.yaml (agents.models.<agent> or model)',
      }),
    );
    expect(() => chooseModel({}, where, openAiOnly)).toThrow(/has no model: set model/);
  });

  it('takes the call timeout by the same precedence as the model', () => {
    const timeout = (levels: ModelLevels) => chooseModel(levels, where, anthropicOnly).setting.callTimeoutMs;
    expect(timeout({ recommended })).toBe(600_000);
    expect(
      timeout({
        agentSettings: [{ origin: 'x', setting: { callTimeoutMs: 300_000 } }],
        recommended,
      }),
    ).toBe(300_000);
    expect(timeout({ phase: { callTimeoutMs: 60_000 }, recommended })).toBe(60_000);
    // None anywhere: the handler's default applies (the installation's agents.callTimeout, 2 minutes).
    expect(timeout({ installation: { provider: 'anthropic', model: 'claude-sonnet-4-5' } })).toBeUndefined();
  });
});

describe('installationAgentModels', () => {
  it('gives the installation’s setting for an agent, and none for an agent it does not name', async () => {
    const source = installationAgentModels({
      prices: {},
      agentModels: { implementer: { provider: 'openai', model: 'gpt-4.1', maxTokens: 32_000 } },
    });
    const task = {} as Parameters<typeof source.settingsFor>[1];
    expect(await source.settingsFor('implementer', task)).toEqual([
      {
        origin: 'baton.config.yaml agents.models.implementer',
        setting: { provider: 'openai', model: 'gpt-4.1', maxTokens: 32_000 },
      },
    ]);
    expect(await source.settingsFor('title', task)).toEqual([]);
  });
});
