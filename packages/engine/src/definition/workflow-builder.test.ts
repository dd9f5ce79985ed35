import { describe, expect, it } from 'vitest';
import { parseWorkflow } from './parse-workflow.js';
import { workflow } from './workflow-builder.js';

describe('workflow builder', () => {
  it('builds the same definition as the equivalent YAML', () => {
    const built = workflow('release-notes', {
      description: 'Draft and approve release notes',
      inputs: { type: 'object', required: ['repo'], properties: { repo: { type: 'string' } } },
    })
      .tool('collect', { run: 'git log' })
      .agent('draft', {
        agent: 'scripted',
        fixtures: 'f.yaml',
        needs: ['collect'],
        gate: true,
        timeout: '10m',
        retry: { maxAttempts: 5, backoff: '1s' },
        output: { type: 'object', required: ['title'] },
      })
      .tool('publish', { needs: ['draft'], run: 'cat "$BATON_INPUTS_DIR/draft"', onFailure: 'fail-fast' })
      .human('signoff', { needs: ['publish'], prompt: 'Who signs off?' })
      .build();

    const parsed = parseWorkflow(
      [
        'id: release-notes',
        'description: Draft and approve release notes',
        'inputs:',
        '  type: object',
        '  required: [repo]',
        '  properties: { repo: { type: string } }',
        'phases:',
        '  - { id: collect, kind: tool, run: git log }',
        '  - id: draft',
        '    kind: agent',
        '    agent: scripted',
        '    fixtures: f.yaml',
        '    needs: [collect]',
        '    gate: true',
        '    timeout: 10m',
        '    retry: { maxAttempts: 5, backoff: 1s }',
        '    output: { type: object, required: [title] }',
        '  - id: publish',
        '    kind: tool',
        '    needs: [draft]',
        '    run: cat "$BATON_INPUTS_DIR/draft"',
        '    onFailure: fail-fast',
        '  - { id: signoff, kind: human, needs: [publish], prompt: Who signs off? }',
      ].join('\n'),
    );
    expect(built.ok).toBe(true);
    expect(built).toEqual(parsed);
  });

  it('reports problems the types cannot catch, like a workflow file would', () => {
    const result = workflow('wf')
      .tool('a', { run: 'x', timeout: 'ten minutes' })
      .agent('b', { agent: 'claude', needs: ['a'] })
      .build();
    expect(result).toEqual({
      ok: false,
      problems: [
        {
          path: 'phases[0].timeout',
          message:
            'invalid duration "ten minutes" (use a number with a unit, e.g. 500ms, 2s, 10m, 1h or 1h30m)',
        },
        { path: 'phases[1].agent', message: 'unknown agent "claude" (known agents: scripted)' },
      ],
    });
  });

  it('passes the known agents to validation', () => {
    const builder = workflow('wf').agent('b', { agent: 'claude' });
    expect(builder.build().ok).toBe(false);
    expect(builder.build({ knownAgents: ['claude'] }).ok).toBe(true);
  });

  it('uses the workflow-level fixtures for scripted phases', () => {
    const result = workflow('wf', { fixtures: 'all.yaml', version: 2 })
      .agent('a', { agent: 'scripted' })
      .build();
    expect(result.ok && result.workflow.phases[0]?.fixtures).toBe('all.yaml');
    expect(result.ok && result.workflow.version).toBe(2);
  });

  it('is immutable, so one partial builder can be extended in different ways', () => {
    const base = workflow('wf').tool('a', { run: 'x' });
    const left = base.tool('b', { run: 'y', needs: ['a'] });
    const right = base.human('c', { needs: ['a'] });
    expect(base.toData().phases).toHaveLength(1);
    expect(left.toData()).toEqual({
      id: 'wf',
      phases: [
        { id: 'a', kind: 'tool', run: 'x' },
        { id: 'b', kind: 'tool', run: 'y', needs: ['a'] },
      ],
    });
    expect(right.toData().phases).toEqual([
      { id: 'a', kind: 'tool', run: 'x' },
      { id: 'c', kind: 'human', needs: ['a'] },
    ]);
  });

  it('accepts only ids of earlier phases in needs and refuses a repeated id, at compile time', () => {
    const base = workflow('wf').tool('collect', { run: 'x' });
    // @ts-expect-error: "draft" is not declared before this phase.
    const forward = base.tool('publish', { run: 'y', needs: ['draft'] });
    // @ts-expect-error: "collect" is already taken.
    const repeated = base.tool('collect', { run: 'y' });
    // Validation catches both anyway when the types are bypassed.
    expect(forward.build().ok).toBe(false);
    expect(repeated.build()).toEqual({
      ok: false,
      problems: [
        { path: 'phases[1].id', message: 'duplicate phase id "collect" (first defined at phases[0])' },
      ],
    });
  });

  it('builds a definition with a single human phase and no options', () => {
    const result = workflow('wf').human('ask').build();
    expect(result.ok && result.workflow.phases[0]).toEqual({
      id: 'ask',
      kind: 'human',
      needs: [],
      gate: false,
      retry: { maxAttempts: 3, backoffMs: 2_000, maxBackoffMs: 300_000, maxRecoveries: 3 },
      timeoutMs: null,
      onFailure: 'continue',
    });
  });
});
