import {
  PhaseStatus,
  runStage,
  RunStatus,
  validateRunInputs,
  validateWorkflow,
  type RunState,
} from '@baton/engine';
import { describe, expect, it } from 'vitest';
import { builtinSteps } from '../steps/index.js';
import { loadFeatureWorkflow, type StageView } from './feature-definition.test-support.js';

const workflow = loadFeatureWorkflow();
const phaseIds = workflow.phases.map((phase) => phase.id);

describe('the feature workflow', () => {
  it('is a valid workflow for the engine, its builtin phase naming a step Baton ships', () => {
    const result = validateWorkflow(workflow, { knownSteps: Object.keys(builtinSteps) });
    expect(result.ok ? [] : result.problems).toEqual([]);
  });

  it('runs the phases of the pipeline with gates at the spec, the plan and the tests', () => {
    expect(workflow.id).toBe('feature');
    expect(workflow.version).toBe(1);
    expect(phaseIds).toEqual([
      'spec',
      'align-spec',
      'title',
      'plan',
      'align-plan',
      'tests',
      'align-tests',
      'implement',
      'security-review',
      'code-review',
      'verdict',
    ]);
    expect(workflow.phases.filter((phase) => phase.gate === true).map((phase) => phase.id)).toEqual([
      'spec',
      'plan',
      'tests',
    ]);
    const verdict = workflow.phases.find((phase) => phase.id === 'verdict');
    expect(verdict).toMatchObject({
      kind: 'builtin',
      run: 'verdict',
      needs: ['security-review', 'code-review'],
    });
    expect(Object.keys(builtinSteps)).toContain(verdict!.run!);
  });

  it('has an advisory alignment reviewer in front of each gate, reading only the phase it reviews', () => {
    for (const reviewed of ['spec', 'plan', 'tests']) {
      const reviewer = workflow.phases.find((phase) => phase.id === `align-${reviewed}`);
      expect(reviewer).toMatchObject({
        agent: 'alignment-reviewer',
        needs: [reviewed],
        reviews: reviewed,
        advisory: true,
      });
    }
    // Without `reads` an agent reads every phase it needs: here, exactly the one under review.
    expect(workflow.agents['alignment-reviewer']?.reads).toBeUndefined();
  });

  it('gives each agent exactly the artifacts it should read', () => {
    const reads = Object.fromEntries(
      Object.entries(workflow.agents).map(([name, agent]) => [name, agent.reads]),
    );
    expect(reads).toEqual({
      'spec-writer': [],
      planner: ['spec'],
      'contract-test-writer': ['spec', 'plan'],
      implementer: ['spec', 'plan', 'tests'],
      'security-reviewer': ['spec', 'implement'],
      'code-reviewer': ['spec', 'implement'],
      'alignment-reviewer': undefined,
      'title-writer': ['spec'],
    });
    expect(workflow.agents.implementer?.tools).toEqual(['read_file', 'write_files']);
    expect(workflow.agents['security-reviewer']?.tools).toEqual(['read_file']);
    expect(workflow.agents['code-reviewer']?.tools).toEqual(['read_file']);
  });

  it('recommends the model and output limit of each agent, and long call timeouts for long answers', () => {
    const recommended = Object.fromEntries(
      Object.entries(workflow.agents).map(([name, agent]) => [name, agent.recommended]),
    );
    const sonnet = { provider: 'anthropic', model: 'claude-sonnet-4-5' };
    const haiku = { provider: 'anthropic', model: 'claude-haiku-4-5' };
    expect(recommended).toEqual({
      'spec-writer': { ...sonnet, maxTokens: 32000, callTimeout: '10m' },
      planner: { ...sonnet, maxTokens: 32000, callTimeout: '10m' },
      'contract-test-writer': { ...sonnet, maxTokens: 32000, callTimeout: '10m' },
      implementer: { provider: 'anthropic', model: 'claude-opus-4-6', maxTokens: 128000, callTimeout: '15m' },
      'security-reviewer': { ...sonnet, maxTokens: 16000, callTimeout: '5m' },
      'code-reviewer': { ...sonnet, maxTokens: 16000, callTimeout: '5m' },
      'alignment-reviewer': { ...haiku, maxTokens: 500 },
      'title-writer': { ...haiku, maxTokens: 50 },
    });
  });

  it('names the run after the title agent', () => {
    expect(workflow.title).toEqual({ from: 'title', field: 'title' });
    expect(workflow.phases.find((phase) => phase.id === 'title')).toMatchObject({ needs: ['spec'] });
  });

  it('tells every agent the platform context and the compliance standards', () => {
    for (const phrase of [
      'OWASP ASVS 4.0.3 Level 2',
      'Australian Government ISM',
      'No secrets in code',
      'Code never runs on this platform',
    ])
      expect(workflow.governance).toContain(phrase);
  });

  it('describes in each prompt every field its output must have', () => {
    for (const [name, agent] of Object.entries(workflow.agents)) {
      const schema = agent.output as { required?: string[] } | undefined;
      for (const field of schema?.required ?? [])
        expect(agent.system, `${name}: ${field}`).toContain(`\`${field}\``);
    }
  });

  it('says in each prompt what to do when the input is missing or unclear', () => {
    const guidance: Record<string, string> = {
      'spec-writer': 'When the brief is thin or unclear',
      planner: 'When the specification is incomplete',
      'contract-test-writer': 'When something cannot be tested',
      implementer: 'When something is missing',
      'security-reviewer': 'When you cannot tell',
      'code-reviewer': 'When you cannot tell',
      'alignment-reviewer': 'is too vague to judge against',
      'title-writer': 'If the specification is empty',
    };
    for (const [name, agent] of Object.entries(workflow.agents))
      expect(agent.system).toContain(guidance[name]);
  });

  it('takes the brief as text (the problem) or as an object with the problem and what else is known, else the demo brief', () => {
    const accepted = [
      { brief: 'A to-do list where people sign in and keep their own to-dos.' },
      { brief: { problem: 'People lose track of their chores.' } },
      {
        brief: {
          title: 'To-do list',
          problem: 'People lose track of their chores.',
          users: 'Anyone with an email address',
          scope: 'Personal lists only',
          acceptanceCriteria: ['A person sees only their own to-dos'],
          outOfScope: ['Sharing lists'],
        },
      },
    ];
    for (const inputs of accepted)
      expect(validateRunInputs(workflow.inputs, inputs)).toMatchObject({ ok: true });
    // Without a brief, the demo's (the offline fixtures' story).
    expect(validateRunInputs(workflow.inputs, {})).toMatchObject({
      ok: true,
      value: { brief: expect.stringContaining('to-do list') },
    });
    const refused = [
      { brief: '' },
      { brief: { title: 'No problem stated' } },
      { brief: { problem: 'x', acceptanceCriteria: 'not a list' } },
      { brief: { problem: 'x', deadline: 'tomorrow' } },
      { brief: 'x', extra: 'input' },
    ];
    for (const inputs of refused)
      expect(validateRunInputs(workflow.inputs, inputs), JSON.stringify(inputs)).toMatchObject({ ok: false });
  });
});

describe("the feature workflow's stages", () => {
  const statuses: readonly string[] = Object.values(PhaseStatus);
  const runStatuses: readonly string[] = Object.values(RunStatus);

  it('name phases the workflow has and statuses that exist, each label once', () => {
    const labels = workflow.stages.map((entry) => entry.stage);
    expect(labels).toEqual([
      'spec_generating',
      'spec_ready',
      'plan_generating',
      'plan_ready',
      'tests_generating',
      'tests_ready',
      'implementing',
      'review',
      'done',
      'failed',
    ]);
    for (const entry of workflow.stages) {
      for (const [phase, value] of Object.entries(entry.phases ?? {})) {
        expect(phaseIds).toContain(phase);
        for (const status of typeof value === 'string' ? [value] : value) expect(statuses).toContain(status);
      }
      const run = entry.run ?? [];
      for (const status of typeof run === 'string' ? [run] : run) expect(runStatuses).toContain(status);
    }
  });

  it('follow a run from the first draft to done, through a failed verdict, its retry and a revised brief', () => {
    const done = (ids: readonly string[]) => Object.fromEntries(ids.map((id) => [id, 'completed']));
    const upToTests = done(['spec', 'align-spec', 'title', 'plan', 'align-plan', 'tests', 'align-tests']);
    const timeline: [string, StageView][] = [
      ['spec_generating', { run: 'running', phases: { spec: 'running' } }],
      ['spec_generating', { run: 'running', phases: { spec: 'in_review', 'align-spec': 'running' } }],
      ['spec_ready', { run: 'waiting', phases: { spec: 'waiting_for_human', 'align-spec': 'completed' } }],
      [
        'plan_generating',
        { run: 'running', phases: { ...done(['spec', 'align-spec']), title: 'running', plan: 'running' } },
      ],
      [
        'plan_ready',
        {
          run: 'waiting',
          phases: { ...done(['spec', 'align-spec', 'title', 'align-plan']), plan: 'waiting_for_human' },
        },
      ],
      [
        'tests_generating',
        {
          run: 'running',
          phases: {
            ...done(['spec', 'align-spec', 'title', 'plan', 'align-plan']),
            tests: 'in_review',
            'align-tests': 'ready',
          },
        },
      ],
      [
        'tests_ready',
        {
          run: 'waiting',
          phases: {
            ...done(['spec', 'align-spec', 'title', 'plan', 'align-plan', 'align-tests']),
            tests: 'waiting_for_human',
          },
        },
      ],
      ['implementing', { run: 'running', phases: { ...upToTests, implement: 'running' } }],
      [
        'review',
        {
          run: 'running',
          phases: {
            ...upToTests,
            implement: 'completed',
            'security-review': 'completed',
            'code-review': 'running',
          },
        },
      ],
      [
        'review',
        {
          run: 'running',
          phases: {
            ...upToTests,
            ...done(['implement', 'security-review', 'code-review']),
            verdict: 'running',
          },
        },
      ],
      [
        'failed',
        {
          run: 'failed',
          phases: {
            ...upToTests,
            ...done(['implement', 'security-review', 'code-review']),
            verdict: 'failed',
          },
        },
      ],
      ['implementing', { run: 'running', phases: { ...upToTests, implement: 'ready' } }],
      [
        'done',
        {
          run: 'completed',
          phases: { ...upToTests, ...done(['implement', 'security-review', 'code-review', 'verdict']) },
        },
      ],
      ['spec_generating', { run: 'running', phases: { spec: 'ready' } }],
      ['failed', { run: 'cancelled', phases: { spec: 'cancelled' } }],
    ];
    const valid = validateWorkflow(workflow, { knownSteps: Object.keys(builtinSteps) });
    if (!valid.ok) throw new Error('the feature workflow does not validate');
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
