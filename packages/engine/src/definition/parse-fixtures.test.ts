import { describe, expect, it } from 'vitest';
import { formatProblems } from '../errors.js';
import { parseFixtures } from './parse-fixtures.js';

function problemsOf(text: string): string[] {
  const result = parseFixtures(text, { fileName: 'fixtures.yaml' });
  return result.ok ? [] : formatProblems(result.problems).split('\n');
}

describe('parseFixtures', () => {
  it('reads outputs, failures, delays and per-attempt answers', () => {
    const text = [
      'draft:',
      '  output: { title: Release 1.2, items: [a, b] }',
      '  delayMs: 200',
      '  attempts:',
      '    "1": { fail: model overloaded }',
      '    "2": { output: second try, delayMs: 0 }',
      'review:',
      '  output: Looks good',
      'broken:',
      '  fail: always fails',
    ].join('\n');
    expect(parseFixtures(text)).toEqual({
      ok: true,
      fixtures: {
        draft: {
          output: { title: 'Release 1.2', items: ['a', 'b'] },
          delayMs: 200,
          attempts: { '1': { fail: 'model overloaded' }, '2': { output: 'second try', delayMs: 0 } },
        },
        review: { output: 'Looks good' },
        broken: { fail: 'always fails' },
      },
    });
  });

  it('accepts an entry that only has per-attempt answers', () => {
    expect(parseFixtures('a:\n  attempts:\n    "3": { output: 1 }\n').ok).toBe(true);
  });

  it('accepts null, false and zero as outputs', () => {
    expect(parseFixtures('a: { output: null }\nb: { output: false }\nc: { output: 0 }\n')).toEqual({
      ok: true,
      fixtures: { a: { output: null }, b: { output: false }, c: { output: 0 } },
    });
  });

  it('reads JSON fixtures', () => {
    expect(parseFixtures('{"draft": {"output": {"title": "x"}}}', { fileName: 'f.json' })).toEqual({
      ok: true,
      fixtures: { draft: { output: { title: 'x' } } },
    });
  });

  it('treats an empty file as no entries', () => {
    expect(parseFixtures('')).toEqual({ ok: true, fixtures: {} });
    expect(parseFixtures('# nothing yet\n')).toEqual({ ok: true, fixtures: {} });
  });

  it('reports an entry without output, fail or attempts', () => {
    expect(problemsOf('draft:\n  delayMs: 10\n')).toEqual([
      'draft: must have output, fail, toolCalls, replies or attempts',
    ]);
  });

  it('reports an entry with both output and fail', () => {
    expect(problemsOf('draft: { output: x, fail: y }\n')).toEqual([
      'draft: set either output or fail, not both',
    ]);
  });

  it('reports bad fields with paths and suggestions', () => {
    expect(
      problemsOf(
        [
          'draft:',
          '  outptu: x',
          '  output: x',
          '  delayMs: -1',
          'review:',
          '  fail: ""',
          'publish: done',
          'Bad Id:',
          '  output: x',
        ].join('\n'),
      ),
    ).toEqual([
      'draft.outptu: unknown field (did you mean "output"?)',
      'draft.delayMs: must be a whole number of milliseconds (0 or more), got a number (-1)',
      'review.fail: must be non-empty text (the failure message), got a string ("")',
      'publish: must be a mapping with output, fail, toolCalls, replies or attempts, got a string ("done")',
      '["Bad Id"]: invalid phase id "Bad Id" (keys of a fixtures file are phase ids, or a map\'s instances such as "tasks[2].code" or "tasks[*].code" for every element)',
    ]);
  });

  it("accepts a map's instances as keys: one element's, or every element's with [*]", () => {
    const text = [
      '"tasks[2].code": { output: two }',
      '"tasks[*].code": { output: any }',
      '"each[0]": { output: x }',
    ];
    const result = parseFixtures(text.join('\n'));
    expect(result.ok && Object.keys(result.fixtures)).toEqual(['tasks[2].code', 'tasks[*].code', 'each[0]']);
    const bad = parseFixtures('"tasks[x].code": { output: x }\n"tasks[01]": { output: x }');
    expect(bad.ok).toBe(false);
  });

  // Keys that look like array indices come first: JavaScript orders object keys that way.
  it('reports bad attempt numbers and answers', () => {
    const text = [
      'draft:',
      '  attempts:',
      '    "0": { output: x }',
      '    first: { output: x }',
      '    "2": { delayMs: 5 }',
      '    "3": { output: x, attempts: {} }',
    ].join('\n');
    expect(problemsOf(text)).toEqual([
      'draft.attempts["0"]: attempt numbers are whole numbers from 1 (got "0")',
      'draft.attempts["2"]: must have output, fail, toolCalls or replies',
      'draft.attempts["3"].attempts: unknown field (expected output, fail, delayMs, replies, toolCalls or usage)',
      'draft.attempts["first"]: attempt numbers are whole numbers from 1 (got "first")',
    ]);
  });

  it('reports attempts that are not a mapping or are empty', () => {
    expect(problemsOf('a: { attempts: [] }\nb: { attempts: {} }\n')).toEqual([
      'a.attempts: must be a mapping from attempt number to answer, such as { "1": { fail: boom } }, got a list',
      'b.attempts: must list at least one attempt',
    ]);
  });

  it('reads the scripted model fields: replies, tool calls and usage', () => {
    const text = [
      'writer:',
      '  usage: { inputTokens: 100, outputTokens: 20 }',
      '  replies:',
      '    - { output: not json }',
      '    - { toolCalls: [{ tool: read_file, input: { path: a.md } }], delayMs: 5 }',
      '    - { output: { title: x }, usage: { inputTokens: 0, outputTokens: 3 } }',
      '  attempts:',
      '    "2": { replies: [{ fail: overloaded }, { output: done }] }',
      'draft:',
      '  toolCalls: [{ tool: write_files, input: null }]',
    ].join('\n');
    expect(parseFixtures(text)).toEqual({
      ok: true,
      fixtures: {
        writer: {
          usage: { inputTokens: 100, outputTokens: 20 },
          replies: [
            { output: 'not json' },
            { toolCalls: [{ tool: 'read_file', input: { path: 'a.md' } }], delayMs: 5 },
            { output: { title: 'x' }, usage: { inputTokens: 0, outputTokens: 3 } },
          ],
          attempts: { '2': { replies: [{ fail: 'overloaded' }, { output: 'done' }] } },
        },
        draft: { toolCalls: [{ tool: 'write_files', input: null }] },
      },
    });
  });

  it('reports bad replies, tool calls and usage', () => {
    const text = [
      'a: { replies: [] }',
      'b: { replies: [{ delayMs: 1 }, { output: x, replies: [{ output: y }] }] }',
      'c: { output: x, replies: [{ output: y }] }',
      'd: { toolCalls: [{ input: 1 }, { tool: t, input: .nan, extra: 1 }] }',
      'e: { output: x, usage: { inputTokens: -1 } }',
      'f: { toolCalls: {} }',
    ].join('\n');
    expect(problemsOf(text)).toEqual([
      'a.replies: must be a non-empty list of answers, one per model call, such as [{ output: x }, { output: y }], got a list',
      'b.replies[0]: must have output, fail or toolCalls',
      'b.replies[1].replies: unknown field (expected output, fail, delayMs, toolCalls or usage)',
      'c: set only one of output, fail, toolCalls and replies, not output and replies',
      "d.toolCalls[0].tool: must be set: the tool's name",
      'd.toolCalls[1].extra: unknown field (expected tool or input)',
      'd.toolCalls[1].input: must be JSON: NaN is not a JSON number',
      'e.usage.inputTokens: must be a whole number of tokens (0 or more), got a number (-1)',
      'e.usage.outputTokens: must be a whole number of tokens (0 or more), got nothing',
      'f.toolCalls: must be a non-empty list of tool calls, such as [{ tool: read_file, input: { path: a.md } }], got a mapping',
    ]);
  });

  it('reports outputs that JSON cannot hold', () => {
    expect(problemsOf('a:\n  output: { score: .inf, list: [1, .nan] }\n')).toEqual([
      'a.output.score: must be JSON: Infinity is not a JSON number',
      'a.output.list[1]: must be JSON: NaN is not a JSON number',
    ]);
  });

  it('reports a file that is not a mapping', () => {
    expect(problemsOf('- a\n- b\n')).toEqual([
      'a fixtures file must be a mapping keyed by phase id, got a list',
    ]);
  });

  it('reports syntax errors at their line and column', () => {
    expect(problemsOf('draft:\n  output: [x\n')).toEqual([
      'fixtures.yaml:3:1: Flow sequence in block collection must be sufficiently indented and end with a ]',
    ]);
  });

  it('reports every problem at once', () => {
    const text = [
      'a: {}',
      'b: { output: 1, fail: x }',
      'c: { fail: 3 }',
      'd: { output: 1, delayMs: 1.5 }',
    ].join('\n');
    expect(problemsOf(text)).toHaveLength(4);
  });
});
