import { describe, expect, it, vi } from 'vitest';
import { parseWorkflow } from './parse-workflow.js';

const RELEASE_NOTES = `
id: release-notes
version: 1
description: Draft and approve release notes
inputs:
  type: object
  required: [repo]
  properties: { repo: { type: string } }
fixtures: fixtures/all.yaml
phases:
  - id: collect
    kind: tool
    run: git -C "$BATON_INPUT_repo" log --oneline -20
  - id: draft
    kind: agent
    agent: scripted
    fixtures: fixtures/release-notes.yaml
    needs: [collect]
    gate: true
    retry: { maxAttempts: 3, backoff: 2s, maxBackoff: 5m }
    timeout: 10m
    output: { type: object, required: [title] }
    input: { type: object }
  - id: publish
    kind: tool
    needs: [draft]
    run: cat "$BATON_INPUTS_DIR/draft"
    onFailure: continue
  - id: signoff
    kind: human
    prompt: Who signs off?
    needs: [publish]
`;

describe('parseWorkflow', () => {
  it('parses the documented example into a normalised definition', () => {
    const result = parseWorkflow(RELEASE_NOTES, { fileName: 'release-notes.yaml' });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const { workflow } = result;
    expect(workflow.id).toBe('release-notes');
    expect(workflow.fixtures).toBe('fixtures/all.yaml');
    expect(workflow.inputs).toEqual({
      type: 'object',
      required: ['repo'],
      properties: { repo: { type: 'string' } },
    });
    expect(workflow.phases.map((p) => [p.id, p.kind, p.needs, p.timeoutMs])).toEqual([
      ['collect', 'tool', [], 1_800_000],
      ['draft', 'agent', ['collect'], 600_000],
      ['publish', 'tool', ['draft'], 1_800_000],
      ['signoff', 'human', ['publish'], null],
    ]);
    expect(workflow.phases[1]).toMatchObject({
      fixtures: 'fixtures/release-notes.yaml',
      gate: true,
      retry: { maxAttempts: 3, backoffMs: 2_000, maxBackoffMs: 300_000, maxRecoveries: 3 },
      output: { type: 'object', required: ['title'] },
    });
    expect(workflow.phases[0]?.run).toBe('git -C "$BATON_INPUT_repo" log --oneline -20');
  });

  it('parses JSON text the same way as the equivalent YAML', () => {
    const yaml = parseWorkflow('id: wf\nphases:\n  - { id: a, kind: tool, run: "true" }\n');
    const json = parseWorkflow(
      JSON.stringify({ id: 'wf', phases: [{ id: 'a', kind: 'tool', run: 'true' }] }, null, '\t'),
      { fileName: 'wf.json' },
    );
    expect(json).toEqual(yaml);
    expect(json.ok).toBe(true);
  });

  it('reports a YAML syntax error at its line and column', () => {
    const result = parseWorkflow('id: wf\nphases:\n  - id: a\n    kind: tool\n    run: [oops\n', {
      fileName: 'workflow.yaml',
    });
    expect(result).toEqual({
      ok: false,
      problems: [
        {
          path: 'workflow.yaml:6:1',
          message: 'Flow sequence in block collection must be sufficiently indented and end with a ]',
        },
      ],
    });
  });

  it('reads a .json file as strict JSON and reports what the YAML parser would accept', () => {
    const result = parseWorkflow('{"id": "wf", "phases": [{"id": "a", "kind": "tool", "run": "x"},]}', {
      fileName: 'wf.json',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]?.path).toMatch(/^wf\.json(:\d+:\d+)?$/);
    expect(result.problems[0]?.message).toMatch(/^invalid JSON: /);
  });

  it('parses a 10,000-phase JSON file with JSON.parse, not the slower YAML parser', () => {
    // The time is in `npm run bench` (dag-10000: parseWorkflow from JSON and from YAML).
    const phases = Array.from({ length: 10_000 }, (_, i) => ({
      id: `p${i}`,
      kind: 'tool',
      run: `echo ${i}`,
      needs: i === 0 ? [] : [`p${i - 1}`],
    }));
    const text = JSON.stringify({ id: 'big', phases });
    const parse = vi.spyOn(JSON, 'parse');
    let result: ReturnType<typeof parseWorkflow>;
    let parsesOfText: number;
    try {
      result = parseWorkflow(text, { fileName: 'big.json' });
      parsesOfText = parse.mock.calls.filter(([arg]) => arg === text).length;
    } finally {
      parse.mockRestore();
    }
    expect(parsesOfText).toBe(1);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.workflow.phases).toHaveLength(10_000);
    expect(result.workflow.phases[9_999]).toMatchObject({ id: 'p9999', run: 'echo 9999', needs: ['p9998'] });
  });

  it('reports a JSON syntax error at its line and column', () => {
    const result = parseWorkflow('{\n  "id": "wf",,\n  "phases": []\n}', { fileName: 'wf.json' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems[0]?.path).toBe('wf.json:2:14');
  });

  it('reports a duplicate key as a syntax error', () => {
    const result = parseWorkflow('id: a\nid: b\nphases: []\n', { fileName: 'w.yaml' });
    expect(result).toEqual({
      ok: false,
      problems: [{ path: 'w.yaml:2:1', message: 'Map keys must be unique' }],
    });
  });

  it('names the file "workflow" when no file name is given', () => {
    const result = parseWorkflow('a: [');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems[0]?.path).toMatch(/^workflow:\d+:\d+$/);
  });

  it('reports a file with several YAML documents', () => {
    const result = parseWorkflow('id: a\n---\nid: b\n', { fileName: 'w.yaml' });
    expect(result).toEqual({
      ok: false,
      problems: [
        {
          path: 'w.yaml:2:1',
          message: 'the file holds more than one YAML document; remove the extra "---" separator',
        },
      ],
    });
  });

  it('reports an alias to an anchor that does not exist', () => {
    const result = parseWorkflow('id: wf\nphases: *nothing\n', { fileName: 'w.yaml' });
    expect(result).toEqual({
      ok: false,
      problems: [
        {
          path: 'w.yaml:2:9',
          message: 'unknown alias "*nothing" (define the anchor "&nothing" before using it)',
        },
      ],
    });
  });

  it('reports an alias that makes a value contain itself', () => {
    const result = parseWorkflow('id: wf\nphases: &p [*p]\n', { fileName: 'w.yaml' });
    expect(result).toEqual({
      ok: false,
      problems: [{ path: 'w.yaml:2:13', message: 'alias "*p" refers to a value that contains it' }],
    });
  });

  it('refuses a document that expands aliases exponentially', () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 10; i++)
      lines.push(
        `a${i}: &a${i} [${Array(10)
          .fill(`*a${i - 1}`)
          .join(', ')}]`,
      );
    const result = parseWorkflow(lines.join('\n'), { fileName: 'bomb.yaml' });
    expect(result.ok).toBe(false);
  });

  it('reports an empty file', () => {
    expect(parseWorkflow('')).toEqual({
      ok: false,
      problems: [{ path: '', message: 'the workflow is empty (it needs at least an id and phases)' }],
    });
  });

  it('reports every validation problem of a file at once, with the suggestion of a did-you-mean as its hint', () => {
    const text = [
      'id: release-notes',
      'phases:',
      '  - id: collect',
      '    kind: tool',
      '    run: git log',
      '    neds: []',
      '  - id: draft',
      '    kind: agnt',
      '    needs: [colect]',
      '  - id: publish',
      '    kind: tool',
      '    run: cat',
      '    timeout: ten minutes',
    ].join('\n');
    const result = parseWorkflow(text, { fileName: 'w.yaml' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual([
      {
        path: 'phases[0].neds',
        message: 'unknown field (did you mean "needs"?)',
        hint: 'did you mean "needs"?',
      },
      {
        path: 'phases[1].kind',
        message: 'unknown kind "agnt" (expected tool, agent, human, builtin or map; did you mean "agent"?)',
        hint: 'did you mean "agent"?',
      },
      {
        path: 'phases[1].needs[0]',
        message: 'unknown phase "colect" (did you mean "collect"?)',
        hint: 'did you mean "collect"?',
      },
      {
        path: 'phases[2].timeout',
        message:
          'invalid duration "ten minutes" (use a number with a unit, e.g. 500ms, 2s, 10m, 1h or 1h30m)',
      },
    ]);
  });

  it('passes the known agents on to validation', () => {
    const text = 'id: wf\nphases:\n  - { id: a, kind: agent, agent: claude }\n';
    expect(parseWorkflow(text).ok).toBe(false);
    expect(parseWorkflow(text, { knownAgents: ['claude'] }).ok).toBe(true);
  });
});
