import { describe, expect, it } from 'vitest';
import { formatProblems } from '../errors.js';
import type { WorkflowDefinition } from '../types.js';
import { countedRecords } from './counted-reads.test-support.js';
import { validateWorkflow, type ValidateWorkflowOptions } from './validate-workflow.js';

type Raw = Record<string, unknown>;

/** A small valid workflow; `phases` replaces its phases. */
function definition(phases: Raw[], extra: Raw = {}): Raw {
  return { id: 'release-notes', phases, ...extra };
}

const tool = (id: string, extra: Raw = {}): Raw => ({ id, kind: 'tool', run: 'true', ...extra });

/** Problems as `path: message` lines (or [] when valid). */
function problemsOf(raw: unknown, options?: ValidateWorkflowOptions): string[] {
  const result = validateWorkflow(raw, options);
  return result.ok ? [] : formatProblems(result.problems).split('\n');
}

function valid(raw: unknown, options?: ValidateWorkflowOptions): WorkflowDefinition {
  const result = validateWorkflow(raw, options);
  if (!result.ok) throw new Error(`expected a valid workflow:\n${formatProblems(result.problems)}`);
  return result.workflow;
}

describe('validateWorkflow: normalisation', () => {
  it('fills in every default', () => {
    const workflow = valid(
      definition([
        { id: 'collect', kind: 'tool', run: 'git log' },
        { id: 'draft', kind: 'agent', agent: 'scripted', fixtures: 'f.yaml' },
        { id: 'signoff', kind: 'human' },
      ]),
    );
    const retry = { maxAttempts: 3, backoffMs: 2_000, maxBackoffMs: 300_000, maxRecoveries: 3 };
    expect(workflow).toEqual({
      id: 'release-notes',
      version: 1,
      phases: [
        {
          id: 'collect',
          kind: 'tool',
          run: 'git log',
          needs: [],
          gate: false,
          retry,
          timeoutMs: 1_800_000,
          onFailure: 'continue',
        },
        {
          id: 'draft',
          kind: 'agent',
          agent: 'scripted',
          fixtures: 'f.yaml',
          needs: [],
          gate: false,
          retry,
          timeoutMs: 600_000,
          onFailure: 'continue',
        },
        {
          id: 'signoff',
          kind: 'human',
          needs: [],
          gate: false,
          retry,
          timeoutMs: null,
          onFailure: 'continue',
        },
      ],
    });
  });

  it('keeps every field that is set and converts durations to milliseconds', () => {
    const workflow = valid(
      definition(
        [
          tool('collect'),
          {
            id: 'draft',
            kind: 'agent',
            agent: 'scripted',
            description: 'Drafts the notes',
            needs: ['collect'],
            gate: true,
            retry: { maxAttempts: 5, backoff: '1s', maxBackoff: '1m', maxRecoveries: 0 },
            timeout: '1h30m',
            onFailure: 'fail-fast',
            output: { type: 'object', required: ['title'] },
            input: { type: 'object' },
          },
          { id: 'signoff', kind: 'human', prompt: 'Who signs off?', timeout: '2d', needs: ['draft'] },
        ],
        { version: 4, description: 'Release notes', fixtures: 'all.yaml', inputs: { type: 'object' } },
      ),
    );
    expect(workflow.version).toBe(4);
    expect(workflow.description).toBe('Release notes');
    expect(workflow.inputs).toEqual({ type: 'object' });
    expect(workflow.phases[1]).toEqual({
      id: 'draft',
      kind: 'agent',
      agent: 'scripted',
      description: 'Drafts the notes',
      fixtures: 'all.yaml',
      needs: ['collect'],
      gate: true,
      retry: { maxAttempts: 5, backoffMs: 1_000, maxBackoffMs: 60_000, maxRecoveries: 0 },
      timeoutMs: 5_400_000,
      onFailure: 'fail-fast',
      output: { type: 'object', required: ['title'] },
      input: { type: 'object' },
    });
    expect(workflow.phases[2]?.timeoutMs).toBe(172_800_000);
    expect(workflow.phases[2]?.prompt).toBe('Who signs off?');
  });

  it('gives scripted agent phases the workflow-level fixtures file unless they name their own', () => {
    const workflow = valid(
      definition(
        [
          { id: 'a', kind: 'agent', agent: 'scripted' },
          { id: 'b', kind: 'agent', agent: 'scripted', fixtures: 'own.yaml' },
        ],
        { fixtures: 'all.yaml' },
      ),
    );
    expect(workflow.fixtures).toBe('all.yaml');
    expect(workflow.phases.map((p) => p.fixtures)).toEqual(['all.yaml', 'own.yaml']);
  });

  it('fills in the parts of a retry policy that are left out', () => {
    const workflow = valid(definition([tool('a', { retry: { maxAttempts: 1 } })]));
    expect(workflow.phases[0]?.retry).toEqual({
      maxAttempts: 1,
      backoffMs: 2_000,
      maxBackoffMs: 300_000,
      maxRecoveries: 3,
    });
  });

  it('accepts its own output and returns it unchanged', () => {
    const workflow = valid(
      definition(
        [
          tool('a', { timeout: '5s', retry: { backoff: 100 } }),
          { id: 'b', kind: 'human', needs: ['a'], gate: true },
          { id: 'c', kind: 'agent', agent: 'scripted', needs: ['b'] },
        ],
        { fixtures: 'f.yaml' },
      ),
    );
    expect(valid(workflow)).toEqual(workflow);
  });

  it('accepts timeoutMs null to mean no timeout', () => {
    expect(valid(definition([tool('a', { timeoutMs: null })])).phases[0]?.timeoutMs).toBeNull();
  });

  it('accepts agents the caller names', () => {
    const workflow = valid(definition([{ id: 'a', kind: 'agent', agent: 'claude' }]), {
      knownAgents: ['scripted', 'claude'],
    });
    expect(workflow.phases[0]?.agent).toBe('claude');
  });

  it('returns a copy that later changes to the input cannot reach', () => {
    const output = { type: 'object' };
    const raw = definition([tool('a', { output })]);
    const workflow = valid(raw);
    output.type = 'string';
    expect(workflow.phases[0]?.output).toEqual({ type: 'object' });
  });
});

describe('validateWorkflow: problems', () => {
  it('reports a misspelt field with the field it probably meant', () => {
    expect(problemsOf(definition([tool('a', { neds: [] })]))).toEqual([
      'phases[0].neds: unknown field (did you mean "needs"?)',
    ]);
    expect(problemsOf(definition([tool('a')], { phase: [] }))).toEqual([
      'phase: unknown field (did you mean "phases"?)',
    ]);
  });

  it('lists the allowed fields when an unknown field resembles none', () => {
    expect(problemsOf(definition([tool('a')], { zzzzzzzz: 1 }))).toEqual([
      'zzzzzzzz: unknown field (expected id, version, description, inputs, fixtures, governance, model, budget, agents, title, phases or stages)',
    ]);
  });

  it('reports an unknown needed phase with a suggestion when one is close', () => {
    expect(
      problemsOf(definition([tool('collect'), tool('draft'), tool('publish', { needs: ['colect'] })])),
    ).toEqual(['phases[2].needs[0]: unknown phase "colect" (did you mean "collect"?)']);
  });

  it('reports an unknown needed phase without a hint when nothing is close', () => {
    expect(problemsOf(definition([tool('collect'), tool('publish', { needs: ['zzz'] })]))).toEqual([
      'phases[1].needs[0]: unknown phase "zzz"',
    ]);
  });

  it('reports a cycle once, in run order, at the phases path', () => {
    const raw = definition([
      tool('a', { needs: ['c'] }),
      tool('b', { needs: ['a'] }),
      tool('c', { needs: ['b'] }),
    ]);
    expect(problemsOf(raw)).toEqual(['phases: cycle: a -> b -> c -> a']);
  });

  it('reports each distinct cycle once', () => {
    const raw = definition([
      tool('a', { needs: ['b'] }),
      tool('b', { needs: ['a'] }),
      tool('c', { needs: ['d'] }),
      tool('d', { needs: ['c'] }),
    ]);
    expect(problemsOf(raw)).toEqual(['phases: cycle: a -> b -> a', 'phases: cycle: c -> d -> c']);
  });

  it('reports a duplicate phase id with where it was first defined', () => {
    const raw = definition([tool('collect'), tool('draft'), tool('publish'), tool('draft')]);
    expect(problemsOf(raw)).toEqual([
      'phases[3].id: duplicate phase id "draft" (first defined at phases[1])',
    ]);
  });

  it('reports a phase that needs itself', () => {
    expect(problemsOf(definition([tool('a'), tool('x', { needs: ['x'] })]))).toEqual([
      'phases[1].needs[0]: phase "x" cannot need itself',
    ]);
  });

  it('reports a phase listed twice in needs', () => {
    expect(problemsOf(definition([tool('a'), tool('b', { needs: ['a', 'a'] })]))).toEqual([
      'phases[1].needs[1]: duplicate entry "a" (already listed at needs[0])',
    ]);
  });

  it('reports needs that are not a list of strings', () => {
    expect(problemsOf(definition([tool('a'), tool('b', { needs: 'a' })]))).toEqual([
      'phases[1].needs: must be a list of phase ids such as [a], got a string ("a")',
    ]);
    expect(problemsOf(definition([tool('a'), tool('b', { needs: [1] })]))).toEqual([
      'phases[1].needs[0]: must be a phase id (a string), got a number (1)',
    ]);
  });

  it('reports an unknown kind with the expected kinds and a suggestion', () => {
    expect(problemsOf(definition([{ id: 'a', kind: 'agnt', agent: 'scripted' }]))).toEqual([
      'phases[0].kind: unknown kind "agnt" (expected tool, agent, human, builtin or map; did you mean "agent"?)',
    ]);
    expect(problemsOf(definition([{ id: 'a', kind: 'robot' }]))).toEqual([
      'phases[0].kind: unknown kind "robot" (expected tool, agent, human, builtin or map)',
    ]);
  });

  it('reports a missing kind', () => {
    expect(problemsOf(definition([{ id: 'a' }]))).toEqual([
      'phases[0].kind: missing required field (expected tool, agent, human, builtin or map)',
    ]);
  });

  it('reports an unknown agent with the known agents', () => {
    expect(
      problemsOf(definition([{ id: 'a', kind: 'agent', agent: 'scriptd', fixtures: 'f.yaml' }])),
    ).toEqual([
      'phases[0].agent: unknown agent "scriptd" (known agents: scripted; did you mean "scripted"?)',
    ]);
  });

  it('reports an agent phase without an agent', () => {
    expect(problemsOf(definition([{ id: 'a', kind: 'agent' }]))).toEqual([
      'phases[0].agent: missing required field (the agent that does the work: scripted)',
    ]);
  });

  it('reports a tool phase without run and run on a phase that is not a tool', () => {
    expect(
      problemsOf(
        definition([
          { id: 'a', kind: 'tool' },
          { id: 'b', kind: 'human', run: 'echo hi' },
        ]),
      ),
    ).toEqual([
      'phases[0].run: missing required field (a tool phase needs the shell command to run)',
      'phases[1].run: only tool and builtin phases take run (this is a human phase)',
    ]);
  });

  it('reports fields that belong to another kind of phase', () => {
    expect(
      problemsOf(definition([tool('a', { prompt: 'Why?', agent: 'scripted', fixtures: 'f.yaml' })])),
    ).toEqual([
      'phases[0].agent: only agent phases take agent (this is a tool phase)',
      'phases[0].fixtures: only agent phases take fixtures (this is a tool phase)',
      'phases[0].prompt: only human phases take prompt (this is a tool phase)',
    ]);
  });

  it('reports a scripted agent phase without any fixtures file', () => {
    expect(problemsOf(definition([{ id: 'a', kind: 'agent', agent: 'scripted' }]))).toEqual([
      'phases[0].fixtures: missing required field (the scripted agent answers from a fixtures file; set fixtures here or at the workflow level)',
    ]);
  });

  it('reports fixtures on an agent phase whose agent does not use them', () => {
    const raw = definition([{ id: 'a', kind: 'agent', agent: 'claude', fixtures: 'f.yaml' }]);
    expect(problemsOf(raw, { knownAgents: ['scripted', 'claude'] })).toEqual([
      'phases[0].fixtures: only the scripted agent and inline agents (agents:) use fixtures (this phase\'s agent is "claude")',
    ]);
  });

  it('reports bad durations with a clear message', () => {
    const raw = definition([
      tool('a', { timeout: 'ten minutes' }),
      tool('b', { timeout: '0s' }),
      tool('c', { timeout: '-5s' }),
      tool('d', { timeout: [] }),
      tool('e', { timeout: '30d' }),
      tool('f', { timeout: 0 }),
    ]);
    expect(problemsOf(raw)).toEqual([
      'phases[0].timeout: invalid duration "ten minutes" (use a number with a unit, e.g. 500ms, 2s, 10m, 1h or 1h30m)',
      'phases[1].timeout: must be longer than zero (got "0s")',
      'phases[2].timeout: duration must not be negative (got "-5s")',
      'phases[3].timeout: must be a duration such as 2s, 10m or 1h30m, got a list',
      'phases[4].timeout: must be at most 24d (got "30d")',
      'phases[5].timeout: must be longer than zero (got 0)',
    ]);
  });

  it('accepts a timeout on a human phase', () => {
    expect(valid(definition([{ id: 'a', kind: 'human', timeout: '1h' }])).phases[0]?.timeoutMs).toBe(
      3_600_000,
    );
  });

  it('reports bad retry policies', () => {
    const raw = definition([
      tool('a', { retry: { maxAttempts: 0 } }),
      tool('b', { retry: { maxAttempts: 101 } }),
      tool('c', { retry: { maxAttempts: 2.5 } }),
      tool('d', { retry: { backoff: 'soon', maxBackof: '1m' } }),
      tool('e', { retry: { backoff: '10s', maxBackoff: '1s' } }),
      tool('f', { retry: 3 }),
      tool('g', { retry: { backoff: '1s', backoffMs: 1000 } }),
      tool('h', { retry: { maxRecoveries: -1 } }),
      tool('i', { retry: { maxRecoveries: 'many' } }),
    ]);
    expect(problemsOf(raw)).toEqual([
      'phases[0].retry.maxAttempts: must be a whole number from 1 to 100 (it counts the first attempt), got a number (0)',
      'phases[1].retry.maxAttempts: must be a whole number from 1 to 100 (it counts the first attempt), got a number (101)',
      'phases[2].retry.maxAttempts: must be a whole number from 1 to 100 (it counts the first attempt), got a number (2.5)',
      'phases[3].retry.maxBackof: unknown field (did you mean "maxBackoff"?)',
      'phases[3].retry.backoff: invalid duration "soon" (use a number with a unit, e.g. 500ms, 2s, 10m, 1h or 1h30m)',
      'phases[4].retry.maxBackoff: maxBackoff (1s) must not be shorter than backoff (10s)',
      'phases[5].retry: must be a mapping such as { maxAttempts: 3, backoff: 2s, maxBackoff: 5m }, got a number (3)',
      'phases[6].retry.backoffMs: set either backoff or backoffMs, not both',
      'phases[7].retry.maxRecoveries: must be a whole number from 0 to 100 (attempts a crash may cost before the phase fails as stuck), got a number (-1)',
      'phases[8].retry.maxRecoveries: must be a whole number from 0 to 100 (attempts a crash may cost before the phase fails as stuck), got a string ("many")',
    ]);
  });

  it('reports an unknown onFailure value with a suggestion', () => {
    expect(problemsOf(definition([tool('a', { onFailure: 'failfast' })]))).toEqual([
      'phases[0].onFailure: unknown onFailure "failfast" (expected continue, fail-fast or skip; did you mean "fail-fast"?)',
    ]);
  });

  it("reports invalid JSON Schemas with ajv's message", () => {
    const raw = definition([tool('a', { output: { type: 'strin' }, input: { $ref: '#/nowhere' } })], {
      inputs: { type: 'object', properties: { n: { minimum: 'one' } } },
    });
    const problems = problemsOf(raw);
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(
      /^inputs: invalid JSON Schema: schema is invalid: data\/properties\/n\/minimum must be number/,
    );
    expect(problems[1]).toMatch(
      /^phases\[0\]\.output: invalid JSON Schema: schema is invalid: data\/type must be equal to one of the allowed values/,
    );
    expect(problems[2]).toBe(
      "phases[0].input: invalid JSON Schema: can't resolve reference #/nowhere from id #",
    );
  });

  it('reports a schema that is not a mapping or a boolean', () => {
    expect(problemsOf(definition([tool('a', { output: 'string' })]))).toEqual([
      'phases[0].output: must be a JSON Schema (a mapping or true/false), got a string ("string")',
    ]);
  });

  it('accepts 2020-12 schemas that name their dialect', () => {
    const output = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      prefixItems: [{ type: 'string' }],
    };
    expect(problemsOf(definition([tool('a', { output })]))).toEqual([]);
  });

  it('requires the inputs schema to describe an object', () => {
    expect(problemsOf(definition([tool('a')], { inputs: { type: 'string' } }))).toEqual([
      'inputs.type: must be "object" (run inputs are named values), got a string ("string")',
    ]);
  });

  it('reports a missing id and missing phases', () => {
    expect(problemsOf({})).toEqual([
      'id: missing required field (the workflow id, such as "release-notes")',
      'phases: missing required field (the list of phases)',
    ]);
  });

  it('reports an empty list of phases', () => {
    expect(problemsOf(definition([]))).toEqual(['phases: must have at least one phase']);
  });

  it('reports malformed workflow and phase ids', () => {
    expect(
      problemsOf({
        id: 'Release Notes',
        phases: [tool('Draft'), tool('-x'), { id: 7, kind: 'tool', run: 'x' }],
      }),
    ).toEqual([
      'id: invalid workflow id "Release Notes" (use at most 64 lowercase letters, digits and "-", starting with a letter or digit)',
      'phases[0].id: invalid phase id "Draft" (use at most 64 lowercase letters, digits, "_" and "-", starting with a letter or digit)',
      'phases[1].id: invalid phase id "-x" (use at most 64 lowercase letters, digits, "_" and "-", starting with a letter or digit)',
      'phases[2].id: must be a string such as "draft", got a number (7)',
    ]);
    expect(problemsOf(definition([tool('a'.repeat(65))]))).toHaveLength(1);
    expect(problemsOf(definition([tool('a'.repeat(64))]))).toEqual([]);
  });

  it('reports a bad version, description and gate', () => {
    expect(problemsOf(definition([tool('a', { gate: 'yes' })], { version: '1', description: 3 }))).toEqual([
      'version: must be a positive whole number, got a string ("1")',
      'description: must be text, got a number (3)',
      'phases[0].gate: must be true or false, got a string ("yes")',
    ]);
  });

  it('reports data that is not a workflow at all', () => {
    expect(problemsOf(null)).toEqual(['the workflow is empty (it needs at least an id and phases)']);
    expect(problemsOf([1, 2])).toEqual(['a workflow must be a mapping with id and phases, got a list']);
    expect(problemsOf(definition(['collect'] as unknown as Raw[]))).toEqual([
      'phases[0]: a phase must be a mapping with at least id and kind, got a string ("collect")',
    ]);
  });

  it('reports every problem at once', () => {
    const raw = {
      id: 'release-notes',
      phases: [
        { id: 'collect', kind: 'tool', run: 'git log', neds: [] },
        { id: 'draft', kind: 'agnt', needs: ['colect'] },
        { id: 'publish', kind: 'tool', run: 'cat', needs: ['draft'], timeout: 'ten minutes' },
      ],
    };
    expect(problemsOf(raw)).toEqual([
      'phases[0].neds: unknown field (did you mean "needs"?)',
      'phases[1].kind: unknown kind "agnt" (expected tool, agent, human, builtin or map; did you mean "agent"?)',
      'phases[1].needs[0]: unknown phase "colect" (did you mean "collect"?)',
      'phases[2].timeout: invalid duration "ten minutes" (use a number with a unit, e.g. 500ms, 2s, 10m, 1h or 1h30m)',
    ]);
  });

  it('still finds cycles when other problems exist', () => {
    const raw = definition([tool('a', { needs: ['b'], timeout: 'x' }), tool('b', { needs: ['a'] })]);
    expect(problemsOf(raw)).toEqual([
      'phases[0].timeout: invalid duration "x" (use a number with a unit, e.g. 500ms, 2s, 10m, 1h or 1h30m)',
      'phases: cycle: a -> b -> a',
    ]);
  });
});

describe('validateWorkflow: size and work', () => {
  // Work, not time: each test counts how often validation reads the phases it was given, at n and
  // at 2n phases. Linear work doubles; a scan of every phase per phase would quadruple it. The time
  // a 10,000-phase workflow takes is measured by `npm run bench` (docs/benchmarks.md, dag-10000).

  it('reports more than 10,000 phases as a single problem without checking any phase', () => {
    const n = 10_001;
    const { records, reads } = countedRecords(
      Array.from({ length: n }, (_, i) => ({ id: `p${i}`, kind: 'nope' })),
    );
    expect(problemsOf(definition(records))).toEqual(['phases: too many phases (10001; at most 10000)']);
    // Only the ids are looked at (to know which names agents may refer to), at most twice each.
    expect(reads.of('kind')).toBe(0);
    expect(reads.total()).toBe(reads.of('id'));
    expect(reads.of('id')).toBeLessThanOrEqual(2 * n);
  });

  it('validates a 10,000-phase chain with work that grows linearly', () => {
    const chain = (n: number) =>
      Array.from({ length: n }, (_, i) => tool(`p${i}`, i === 0 ? {} : { needs: [`p${i - 1}`] }));
    const work = (n: number): number => {
      const { records, reads } = countedRecords(chain(n));
      const workflow = valid(definition(records));
      expect(workflow.phases).toHaveLength(n);
      expect(workflow.phases[n - 1]).toMatchObject({ id: `p${n - 1}`, needs: [`p${n - 2}`] });
      return reads.total();
    };
    const half = work(5_000);
    expect(half).toBeGreaterThan(0);
    expect(work(10_000) / half).toBeLessThan(2.5);
  });

  it('validates a random 10,000-phase DAG with work that grows linearly', () => {
    const randomDag = (n: number) => {
      let seed = 42;
      const random = (): number => {
        seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
        return seed / 2 ** 31;
      };
      return Array.from({ length: n }, (_, i) => {
        const needs = new Set<string>();
        for (let k = 0; k < 3 && i > 0; k++) needs.add(`p${Math.floor(random() * i)}`);
        return tool(`p${i}`, { needs: [...needs] });
      });
    };
    const work = (n: number): number => {
      const { records, reads } = countedRecords(randomDag(n));
      expect(problemsOf(definition(records))).toEqual([]);
      return reads.total();
    };
    const half = work(5_000);
    expect(half).toBeGreaterThan(0);
    expect(work(10_000) / half).toBeLessThan(2.5);
  });

  it('reports a 10,000-phase ring as one cycle without overflowing the stack', () => {
    const n = 10_000;
    const phases = Array.from({ length: n }, (_, i) => tool(`p${i}`, { needs: [`p${(i + n - 1) % n}`] }));
    const problems = problemsOf(definition(phases));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^phases: cycle: p0 -> p1 -> p2 -> .* -> p9999 -> p0$/);
  });
});

describe('validateWorkflow: reviewers', () => {
  it('fills in a reviewer loop from reviews alone, and accepts its own output', () => {
    const workflow = valid(definition([tool('code'), tool('review', { needs: ['code'], reviews: 'code' })]));
    expect(workflow.phases[1]).toMatchObject({
      reviews: 'code',
      review: { rounds: 3, reReview: true, onRoundsExhausted: 'human', advisory: false },
    });
    expect(workflow.phases[0]?.review).toBeUndefined();
    expect(valid(workflow)).toEqual(workflow);
  });

  it('takes the loop options written on the phase', () => {
    const workflow = valid(
      definition([
        tool('code'),
        tool('test', { needs: ['code'] }),
        tool('review', {
          needs: ['test'],
          reviews: 'code',
          rounds: 1,
          reReview: false,
          onRoundsExhausted: 'fail',
        }),
      ]),
    );
    expect(workflow.phases[2]?.review).toEqual({
      rounds: 1,
      reReview: false,
      onRoundsExhausted: 'fail',
      advisory: false,
    });
  });

  it('reports bad reviewer fields and graphs, each with what to do', () => {
    expect(
      problemsOf(
        definition([
          tool('a'),
          tool('b', { needs: ['a'], reviews: 'a', rounds: 0, onRoundsExhausted: 'maybe', reReview: 'no' }),
          tool('c', { rounds: 2 }),
          tool('d', { needs: ['a'], reviews: 'a', advisory: true, rounds: 5 }),
          { id: 'e', kind: 'human', needs: ['a'], reviews: 'a' },
        ]),
      ),
    ).toEqual([
      'phases[1].rounds: must be a whole number from 1 to 20 (revise verdicts before onRoundsExhausted), got a number (0)',
      'phases[1].reReview: must be true or false, got a string ("no")',
      'phases[1].onRoundsExhausted: must be fail, continue or human, got a string ("maybe")',
      'phases[2].rounds: only a reviewer takes rounds (set reviews: PHASE)',
      'phases[3].rounds: an advisory reviewer only recommends and never sends work back, so rounds does not apply',
      'phases[4].reviews: a human phase cannot be a reviewer (use a gate instead)',
      'phases[3].reviews: "a" already has a reviewer ("b"); a phase has one at most',
      'phases[4].reviews: "a" already has a reviewer ("b"); a phase has one at most',
    ]);
    expect(
      problemsOf(
        definition([
          tool('a'),
          tool('b', { reviews: 'a' }),
          tool('c', { needs: ['a'], reviews: 'c' }),
          tool('d', { needs: ['a'], reviews: 'zz' }),
          tool('e', { needs: ['a'], reviews: 'a' }),
          tool('f', { needs: ['e'], reviews: 'a' }),
        ]),
      ),
    ).toEqual([
      'phases[1].reviews: "a" must be upstream of "b" (the reviewer reads its output): add it to needs',
      'phases[2].reviews: phase "c" cannot review itself',
      'phases[3].reviews: unknown phase "zz"',
      'phases[5].reviews: "a" already has a reviewer ("e"); a phase has one at most',
    ]);
  });
});
