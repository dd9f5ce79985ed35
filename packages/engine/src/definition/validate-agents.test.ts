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
});
