import {
  PhaseStatus,
  runStage,
  RunStatus,
  validateRunInputs,
  validateWorkflow,
  type RunState,
} from '@baton/engine';
import { describe, expect, it } from 'vitest';
import { loadRawWorkflow, type StageView } from '../builtin-files.test-support.js';
import { builtinSteps } from '../steps/index.js';

const workflow = loadRawWorkflow('blueprint');
const phaseIds = workflow.phases.map((phase) => phase.id);
const phase = (id: string) => workflow.phases.find((candidate) => candidate.id === id);

describe('the blueprint workflow', () => {
  it('is a valid workflow for the engine, its builtin phases naming steps Baton ships', () => {
    const result = validateWorkflow(workflow, { knownSteps: Object.keys(builtinSteps) });
    expect(result.ok ? [] : result.problems).toEqual([]);
    expect(Object.keys(builtinSteps).sort()).toEqual([
      'apply-ui-patch',
      'merge-architecture',
      'merge-ui-variants',
      'ui-baseline',
      'ui-variant',
      'validate-openapi',
      'verdict',
    ]);
  });

  it('runs the PRD first, then data, design and logic in parallel on it alone, merged by a builtin step', () => {
    expect(workflow).toMatchObject({ id: 'blueprint', version: 1 });
    expect(phaseIds).toEqual([
      'prd',
      'data',
      'design',
      'logic',
      'architecture',
      'api',
      'validate-api',
      'frontend',
      'deployment',
    ]);
    expect(phase('prd')?.needs).toBeUndefined();
    for (const branch of ['data', 'design', 'logic']) expect(phase(branch)?.needs, branch).toEqual(['prd']);
    expect(phase('architecture')).toMatchObject({
      kind: 'builtin',
      run: 'merge-architecture',
      needs: ['data', 'design', 'logic'],
    });
    expect(phase('api')?.needs).toEqual(['prd', 'architecture']);
    expect(phase('frontend')?.needs).toEqual(['prd', 'architecture', 'api']);
    expect(phase('deployment')?.needs).toEqual(['architecture', 'api', 'frontend']);
    // A failed branch does not stop the others: no phase fails fast or skips on its own.
    for (const each of workflow.phases) expect(each, each.id).not.toHaveProperty('onFailure');
  });

  it('stops at two gates: the merged architecture (business rules), then the API specification', () => {
    expect(workflow.phases.filter((each) => each.gate === true).map((each) => each.id)).toEqual([
      'architecture',
      'api',
    ]);
  });

  it('checks the API with the OpenAPI step as its reviewer: one send-back with the errors, then it fails', () => {
    expect(phase('validate-api')).toMatchObject({
      kind: 'builtin',
      run: 'validate-openapi',
      needs: ['api'],
      reviews: 'api',
      rounds: 1,
      onRoundsExhausted: 'fail',
    });
    expect(phase('validate-api')?.advisory).toBeUndefined();
  });

  it('gives each agent exactly the artifacts it should read, and file-writing tools to the file-tree agents', () => {
    const byAgent = Object.fromEntries(
      Object.entries(workflow.agents).map(([name, agent]) => [name, [agent.reads, agent.tools]]),
    );
    const files = ['read_file', 'write_files'];
    expect(byAgent).toEqual({
      'product-manager': [[], undefined],
      'data-architect': [['prd'], files],
      'design-system-designer': [['prd'], files],
      'business-analyst': [['prd'], undefined],
      'api-designer': [['prd', 'architecture'], undefined],
      'frontend-architect': [['prd', 'architecture', 'api'], undefined],
      'platform-engineer': [['architecture', 'api', 'frontend'], files],
    });
    // Only the API is typed JSON; markdown agents and file-tree agents take no output schema.
    const typed = Object.entries(workflow.agents).filter(([, agent]) => agent.output !== undefined);
    expect(typed.map(([name]) => name)).toEqual(['api-designer']);
  });

  it('recommends the model and output limit of each agent, the strongest for the API contract', () => {
    const recommended = Object.fromEntries(
      Object.entries(workflow.agents).map(([name, agent]) => [name, agent.recommended]),
    );
    const sonnet = { provider: 'anthropic', model: 'claude-sonnet-4-5' };
    expect(recommended).toEqual({
      'product-manager': { ...sonnet, maxTokens: 32000, callTimeout: '10m' },
      'data-architect': { ...sonnet, maxTokens: 32000, callTimeout: '10m' },
      'design-system-designer': { ...sonnet, maxTokens: 16000, callTimeout: '5m' },
      'business-analyst': { ...sonnet, maxTokens: 32000, callTimeout: '10m' },
      'api-designer': {
        provider: 'anthropic',
        model: 'claude-opus-4-6',
        maxTokens: 64000,
        callTimeout: '15m',
      },
      'frontend-architect': { ...sonnet, maxTokens: 32000, callTimeout: '10m' },
      'platform-engineer': { ...sonnet, maxTokens: 32000, callTimeout: '10m' },
    });
  });

  it("names the run after the PRD's heading", () => {
    expect(workflow.title).toEqual({ from: 'prd' });
    expect(workflow.agents['product-manager']?.system).toMatch(
      /A level-1 heading naming the product[^.]*the run\s+is titled after it/,
    );
  });

  it('tells every agent the pipeline, the standards, and when to interrupt (pausing the run for the branches)', () => {
    for (const phrase of [
      'OWASP ASVS 4.0.3 Level 2',
      'WCAG 2.2 level AA',
      'hosted checkout',
      'No secrets in any artifact',
      'Nothing runs on this platform',
      'interrupt instead of',
      '`pauseRun: true`',
    ])
      expect(workflow.governance).toContain(phrase);
  });

  it('describes in each prompt every field its output must have, and what to do when the input is thin', () => {
    for (const [name, agent] of Object.entries(workflow.agents)) {
      const schema = agent.output as { required?: string[] } | undefined;
      for (const field of schema?.required ?? [])
        expect(agent.system, `${name}: ${field}`).toContain(`\`${field}\``);
      expect(agent.system, name).toMatch(/# When (the idea is thin|something is missing|the PRD is silent)/);
    }
  });

  it('takes the idea as text or as an object with what else is known, else the demo idea', () => {
    const accepted = [
      { idea: 'A booking service for a climbing gym.' },
      { idea: { idea: 'A booking service for a climbing gym.' } },
      {
        idea: {
          idea: 'A booking service for a climbing gym.',
          users: 'Members and staff',
          constraints: ['Hosted in Australia'],
          outOfScope: ['Retail'],
        },
      },
    ];
    for (const inputs of accepted)
      expect(validateRunInputs(workflow.inputs, inputs)).toMatchObject({ ok: true });
    expect(validateRunInputs(workflow.inputs, {})).toMatchObject({
      ok: true,
      value: { idea: expect.stringContaining('yoga studio') },
    });
    const refused = [
      { idea: '' },
      { idea: { users: 'no idea stated' } },
      { idea: { idea: 'x', constraints: 'not a list' } },
      { idea: 'x', brief: 'another input' },
    ];
    for (const inputs of refused)
      expect(validateRunInputs(workflow.inputs, inputs), JSON.stringify(inputs)).toMatchObject({ ok: false });
  });
});

describe("the blueprint workflow's stages", () => {
  it('name phases the workflow has and statuses that exist, each label once', () => {
    const statuses: readonly string[] = Object.values(PhaseStatus);
    const runStatuses: readonly string[] = Object.values(RunStatus);
    expect(workflow.stages.map((entry) => entry.stage)).toEqual([
      'prd_generating',
      'architecture_generating',
      'rules_ready',
      'api_generating',
      'api_ready',
      'frontend_generating',
      'deployment_generating',
      'done',
      'failed',
    ]);
    for (const entry of workflow.stages) {
      for (const [id, value] of Object.entries(entry.phases ?? {})) {
        expect(phaseIds).toContain(id);
        for (const status of typeof value === 'string' ? [value] : value) expect(statuses).toContain(status);
      }
      const run = entry.run ?? [];
      for (const status of typeof run === 'string' ? [run] : run) expect(runStatuses).toContain(status);
    }
  });

  it('follow a run from the PRD to done, through a failed branch that is skipped and an API sent back', () => {
    const done = (ids: readonly string[]) => Object.fromEntries(ids.map((id) => [id, 'completed']));
    const merged = done(['prd', 'data', 'design', 'logic', 'architecture']);
    const timeline: [string, StageView][] = [
      ['prd_generating', { run: 'running', phases: { prd: 'running' } }],
      ['prd_generating', { run: 'waiting', phases: { prd: 'waiting_for_human' } }], // an interrupt
      [
        'architecture_generating',
        { run: 'running', phases: { prd: 'completed', data: 'running', design: 'running', logic: 'ready' } },
      ],
      // Data failed; design still runs: the stage stays.
      [
        'architecture_generating',
        {
          run: 'running',
          phases: { prd: 'completed', data: 'failed', design: 'running', logic: 'completed' },
        },
      ],
      ['failed', { run: 'failed', phases: { ...done(['prd', 'design', 'logic']), data: 'failed' } }],
      [
        'architecture_generating',
        {
          run: 'running',
          phases: { ...done(['prd', 'design', 'logic']), data: 'skipped', architecture: 'running' },
        },
      ],
      [
        'rules_ready',
        {
          run: 'waiting',
          phases: { ...done(['prd', 'data', 'design', 'logic']), architecture: 'waiting_for_human' },
        },
      ],
      ['api_generating', { run: 'running', phases: { ...merged, api: 'running' } }],
      [
        'api_generating',
        { run: 'running', phases: { ...merged, api: 'in_review', 'validate-api': 'running' } },
      ],
      ['api_generating', { run: 'running', phases: { ...merged, api: 'ready', 'validate-api': 'blocked' } }],
      [
        'api_ready',
        { run: 'waiting', phases: { ...merged, api: 'waiting_for_human', 'validate-api': 'completed' } },
      ],
      [
        'frontend_generating',
        { run: 'running', phases: { ...merged, ...done(['api', 'validate-api']), frontend: 'running' } },
      ],
      [
        'deployment_generating',
        {
          run: 'running',
          phases: { ...merged, ...done(['api', 'validate-api', 'frontend']), deployment: 'running' },
        },
      ],
      [
        'done',
        {
          run: 'completed',
          phases: { ...merged, ...done(['api', 'validate-api', 'frontend', 'deployment']) },
        },
      ],
      ['failed', { run: 'cancelled', phases: { prd: 'cancelled' } }],
    ];
    const valid = validateWorkflow(workflow, { knownSteps: Object.keys(builtinSteps) });
    if (!valid.ok) throw new Error('the blueprint workflow does not validate');
    for (const [label, view] of timeline) {
      // A phase the view does not name has not started (blocked), as in a run.
      const phases = Object.fromEntries(
        phaseIds.map((id) => [id, { status: view.phases[id] ?? 'blocked' }]),
      ) as unknown as RunState['phases'];
      const run = { workflow: valid.workflow, status: view.run as RunState['status'], phases };
      expect(runStage(run), JSON.stringify(view)).toBe(label);
    }
  });
});
