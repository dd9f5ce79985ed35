import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EMPTY_CONFIG, loadInstallationConfig, parseInstallationConfig } from './config.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'baton-config-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('baton.config.yaml', () => {
  it('reads every setting', () => {
    const config = parseInstallationConfig(
      [
        'model: { provider: anthropic, model: claude-sonnet-4-5 }',
        'reviewModel: { provider: openai, model: gpt-4.1 }',
        'governance: Cite your sources.',
        'prices:',
        '  anthropic/claude-sonnet-4-5: { input: 3, output: 15, cached: 0.3 }',
        '  local-model: { input: 0, output: 0 }',
        'agents: { maxTries: 2, callTimeout: 90s }',
      ].join('\n'),
      'baton.config.yaml',
    );
    expect(config).toEqual({
      model: { provider: 'anthropic', model: 'claude-sonnet-4-5' },
      reviewModel: { provider: 'openai', model: 'gpt-4.1' },
      governance: 'Cite your sources.',
      prices: {
        'anthropic/claude-sonnet-4-5': { input: 3, output: 15, cached: 0.3 },
        'local-model': { input: 0, output: 0 },
      },
      maxTries: 2,
      callTimeoutMs: 90_000,
    });
  });

  it('lists every problem with its path', () => {
    expect(() =>
      parseInstallationConfig(
        'model: { provider: openia }\nprices: { m: { input: 1 } }\nagents: { callTimeout: soon }\ncolour: red\n',
        'cfg.yaml',
      ),
    ).toThrow(
      expect.objectContaining({
        code: 'INVALID_CONFIG',
        message: expect.stringMatching(
          /^cfg\.yaml is invalid:\n.*model\.provider: unknown provider "openia".*did you mean "openai"/s,
        ),
      }),
    );
    expect(() =>
      parseInstallationConfig(
        'prices: { m: { input: 1 } }\nagents: { callTimeout: soon }\ncolour: red\n',
        'cfg.yaml',
      ),
    ).toThrow(
      [
        'cfg.yaml is invalid:',
        'colour: unknown setting (expected model, reviewModel, governance, prices, agents)',
        'prices.m: needs both "input" and "output" (USD per million tokens)',
        'agents.callTimeout: must be a duration such as 90s or 2m, got "soon"',
      ].join('\n'),
    );
    expect(() => parseInstallationConfig('a: [1', 'cfg.yaml')).toThrow(/cfg\.yaml is not valid YAML/);
  });

  it('reads per-agent model settings beside maxTries and callTimeout', () => {
    const config = parseInstallationConfig(
      [
        'agents:',
        '  maxTries: 2',
        '  callTimeout: 2m',
        '  models:',
        '    implementer: { provider: openai, model: gpt-4.1, maxTokens: 32000, callTimeout: 10m }',
        '    title: { maxTokens: 80 }',
      ].join('\n'),
      'baton.config.yaml',
    );
    expect(config).toEqual({
      prices: {},
      maxTries: 2,
      callTimeoutMs: 120_000,
      agentModels: {
        implementer: { provider: 'openai', model: 'gpt-4.1', maxTokens: 32_000, callTimeoutMs: 600_000 },
        title: { maxTokens: 80 },
      },
    });
  });

  it('refuses bad per-agent model settings, each with its path', () => {
    expect(() =>
      parseInstallationConfig(
        [
          'agents:',
          '  models:',
          '    Implementer: { model: gpt-4.1 }',
          '    spec: { provider: antropic, callTimeout: 0s }',
          '    title: haiku',
          '    review: { model: gpt-4.1, colour: red }',
        ].join('\n'),
        'cfg.yaml',
      ),
    ).toThrow(
      [
        'cfg.yaml is invalid:',
        'agents.models.Implementer: invalid agent name "Implementer" (agents are named with at most 64 lowercase letters, digits, "_" and "-")',
        'agents.models.spec.provider: unknown provider "antropic" (expected anthropic, deepseek, openai, openai-compatible or scripted; did you mean "anthropic"?)',
        'agents.models.spec.callTimeout: must be longer than zero (got "0s")',
        'agents.models.title: must be a mapping such as { provider: anthropic, model: claude-sonnet-4-5 }, got a string ("haiku")',
        'agents.models.review.colour: unknown field (expected provider, model, maxTokens, temperature, stream, callTimeout or callTimeoutMs)',
      ].join('\n'),
    );
    expect(() => parseInstallationConfig('agents: { models: [spec] }', 'cfg.yaml')).toThrow(
      'agents.models: must map agent names to model settings, such as { implementer: { provider: anthropic, model: claude-opus-4-6 } }',
    );
  });

  it('finds ./baton.config.yaml, takes BATON_CONFIG over it, and needs no file at all', async () => {
    expect(await loadInstallationConfig({}, dir)).toEqual({ config: EMPTY_CONFIG });
    await writeFile(join(dir, 'baton.config.yaml'), 'governance: here\n');
    expect(await loadInstallationConfig({}, dir)).toEqual({
      config: { prices: {}, governance: 'here' },
      path: join(dir, 'baton.config.yaml'),
    });
    await writeFile(join(dir, 'other.yaml'), 'governance: there\n');
    expect((await loadInstallationConfig({ BATON_CONFIG: 'other.yaml' }, dir)).config.governance).toBe(
      'there',
    );
    await expect(loadInstallationConfig({ BATON_CONFIG: 'missing.yaml' }, dir)).rejects.toThrow(
      /cannot read the config file .*missing\.yaml \(named by BATON_CONFIG\)/,
    );
  });
});
