import { describe, expect, it } from 'vitest';
import { formatProblems } from '../errors.js';
import type { WorkflowDefinition } from '../types.js';
import { validateWorkflow } from './validate-workflow.js';

type Raw = Record<string, unknown>;

const summarizer: Raw = {
  system: 'You turn a commit log into release notes.',
  model: { provider: 'openai-compatible', model: 'local-model', maxTokens: 2000 },
  output: { type: 'object', required: ['title'], properties: { title: { type: 'string' } } },
  reads: ['collect'],
  tools: ['read_file'],
};
const collect: Raw = { id: 'collect', kind: 'tool', run: 'git log --oneline -20' };

function problemsOf(raw: Raw): string[] {
  const result = validateWorkflow({ id: 'notes', ...raw });
  return result.ok ? [] : formatProblems(result.problems).split('\n');
}

function valid(raw: Raw): WorkflowDefinition {
  const result = validateWorkflow({ id: 'notes', ...raw });
  if (!result.ok) throw new Error(formatProblems(result.problems));
  return result.workflow;
}

describe('validateWorkflow: inline agents and model settings', () => {
  it('normalises agents, the governance preamble and model settings; a phase takes its agent’s output schema', () => {
    const workflow = valid({
      governance: 'Never invent facts.',
      model: { provider: 'anthropic', model: 'claude-sonnet' },
      agents: { summarizer },
      phases: [
        collect,
        { id: 'notes', kind: 'agent', agent: 'summarizer', needs: ['collect'], model: { temperature: 0.2 } },
      ],
    });
    expect(workflow.governance).toBe('Never invent facts.');
    expect(workflow.model).toEqual({ provider: 'anthropic', model: 'claude-sonnet' });
    expect(workflow.agents?.['summarizer']).toEqual({
      system: 'You turn a commit log into release notes.',
      model: { provider: 'openai-compatible', model: 'local-model', maxTokens: 2000 },
      output: summarizer['output'],
      reads: ['collect'],
      tools: ['read_file'],
    });
    expect(workflow.phases[1]).toMatchObject({
      agent: 'summarizer',
      model: { temperature: 0.2 },
      output: summarizer['output'],
    });
    // No fixtures needed: only the scripted agent answers from fixtures.
    expect(workflow.phases[1]!.fixtures).toBeUndefined();
    // A normalised definition validates to itself.
    expect(valid(workflow as unknown as Raw)).toEqual(workflow);
  });

  it('reports bad agents and model settings with paths and hints', () => {
    expect(
      problemsOf({
        model: { provider: 'antropic', temperature: 3, maxTokens: 0 },
        agents: {
          scripted: { system: 'x' },
          'Bad Name': { system: 'x' },
          writer: { tools: ['write_file'], reads: ['nope'], modle: {} },
        },
        phases: [collect],
      }),
    ).toEqual([
      'model.provider: unknown provider "antropic" (expected anthropic, deepseek, openai, openai-compatible or scripted; did you mean "anthropic"?)',
      'model.maxTokens: must be a whole number from 1 to 1000000 (output tokens of one call), got a number (0)',
      'model.temperature: must be a number from 0 to 2, got a number (3)',
      'agents.scripted: "scripted" is a built-in agent; give the inline agent another name',
      'agents["Bad Name"]: invalid agent name "Bad Name" (use at most 64 lowercase letters, digits, "_" and "-", starting with a letter or digit)',
      'agents.writer.modle: unknown field (did you mean "model"?)',
      'agents.writer.system: missing required field (the system prompt: what the agent is and does)',
      'agents.writer.reads[0]: unknown phase "nope"',
      'agents.writer.tools[0]: unknown tool "write_file" (expected read_file or write_files)',
    ]);
  });

  it('keeps model settings on agent phases, and an agent’s reads within the phase’s needs', () => {
    expect(
      problemsOf({
        agents: { summarizer },
        phases: [
          { ...collect, model: { model: 'x' } },
          { id: 'notes', kind: 'agent', agent: 'summarizer' },
          { id: 'other', kind: 'agent', agent: 'summarzer' },
        ],
      }),
    ).toEqual([
      'phases[0].model: only agent phases take model (this is a tool phase)',
      'phases[1].needs: agent "summarizer" reads "collect" (agents.summarizer.reads[0]), which this phase does not need: add it to needs',
      'phases[2].agent: unknown agent "summarzer" (known agents: scripted, summarizer; did you mean "summarizer"?)',
    ]);
  });

  it('takes an agent’s recommended model and a call timeout at every level, normalised to milliseconds', () => {
    const workflow = valid({
      model: { callTimeout: '3m' },
      agents: {
        summarizer: {
          ...summarizer,
          model: { maxTokens: 2000, callTimeout: '90s' },
          recommended: {
            provider: 'anthropic',
            model: 'claude-opus-4-6',
            maxTokens: 128_000,
            callTimeout: '10m',
          },
        },
      },
      phases: [
        collect,
        {
          id: 'notes',
          kind: 'agent',
          agent: 'summarizer',
          needs: ['collect'],
          model: { callTimeout: 45_000 },
        },
      ],
    });
    expect(workflow.model).toEqual({ callTimeoutMs: 180_000 });
    expect(workflow.agents?.['summarizer']).toMatchObject({
      model: { maxTokens: 2000, callTimeoutMs: 90_000 },
      recommended: {
        provider: 'anthropic',
        model: 'claude-opus-4-6',
        maxTokens: 128_000,
        callTimeoutMs: 600_000,
      },
    });
    expect(workflow.phases[1]!.model).toEqual({ callTimeoutMs: 45_000 });
    // The normalised spelling (callTimeoutMs) validates to itself.
    expect(valid(workflow as unknown as Raw)).toEqual(workflow);
  });

  it('refuses a recommended model without its provider or model, and bad call timeouts, saying why', () => {
    expect(
      problemsOf({
        model: { callTimeout: 'soon' },
        agents: {
          summarizer: {
            ...summarizer,
            model: { callTimeout: '0s' },
            recommended: { model: 'claude-haiku-4-5', callTimeout: '1m', callTimeoutMs: 60_000 },
          },
          writer: { system: 'x', recommended: 'claude' },
          checker: { system: 'x', recommended: { provider: 'anthropic', model: '', callTimeoutMs: '1m' } },
        },
        phases: [collect, { id: 'notes', kind: 'agent', agent: 'summarizer', needs: ['collect'] }],
      }),
    ).toEqual([
      'model.callTimeout: invalid duration "soon" (use a number with a unit, e.g. 500ms, 2s, 10m, 1h or 1h30m)',
      'agents.summarizer.model.callTimeout: must be longer than zero (got "0s")',
      'agents.summarizer.recommended.callTimeoutMs: set either callTimeout or callTimeoutMs, not both',
      'agents.summarizer.recommended.provider: missing required field (a recommended model names its provider and its model, e.g. { provider: anthropic, model: claude-sonnet-4-5 })',
      'agents.writer.recommended: must be a mapping such as { provider: anthropic, model: claude-sonnet-4-5 }, got a string ("claude")',
      'agents.checker.recommended.model: must be the model\'s name, got a string ("")',
      'agents.checker.recommended.callTimeoutMs: must be a number of milliseconds, got a string ("1m")',
    ]);
  });
});
