import { describe, expect, it } from 'vitest';
import { parseFixtures } from './parse-fixtures.js';
import { parseWorkflow } from './parse-workflow.js';
import { printable } from './printable.js';

/** Any character that acts on a terminal instead of showing. */
// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u001f\u007f-\u009f\u202e]/;

describe('printable', () => {
  it('escapes control characters as JSON does, and line breaks and tabs by name', () => {
    expect(printable('a\u001b[31mred\u0007\u0000')).toBe('a\\u001b[31mred\\u0007\\u0000');
    expect(printable('one\ntwo\tthree\r')).toBe('one\\ntwo\\tthree\\r');
  });

  it('escapes DEL, C1 controls and bidirectional overrides, which JSON.stringify leaves raw', () => {
    expect(printable('\u007f\u009b31m\u202etxt.exe')).toBe('\\u007f\\u009b31m\\u202etxt.exe');
  });

  it('leaves any script and emoji as they are', () => {
    expect(printable('café · 日本語 · 🎉 · 👩‍💻')).toBe('café · 日本語 · 🎉 · 👩‍💻');
  });
});

describe('problems quoting a file', () => {
  it('never echo its control characters raw: a JSON syntax error quotes the text escaped', () => {
    const result = parseWorkflow('id: "\u001b[2J\u0007"\n', { fileName: 'w.json' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems[0]?.message).toContain('\\u001b[2J\\u0007');
    for (const problem of result.problems)
      expect(`${problem.path} ${problem.message}`).not.toMatch(RAW_CONTROL);
  });

  it('never echo its control characters raw: a value and a key in a validation problem', () => {
    const result = parseWorkflow('id: "\u009b2J\u202e"\n"ph\u0085ses": []\n', { fileName: 'w.yaml' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.length).toBeGreaterThan(0);
    for (const problem of result.problems)
      expect(`${problem.path} ${problem.message}`).not.toMatch(RAW_CONTROL);
  });

  it('never echo its control characters raw: a fixtures file', () => {
    const result = parseFixtures('"a\u001bb": { output: 1 }\n', { fileName: 'f.yaml' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems[0]?.message).toContain('\\u001b');
    for (const problem of result.problems)
      expect(`${problem.path} ${problem.message}`).not.toMatch(RAW_CONTROL);
  });

  it('cut a long quoted value without splitting a surrogate pair', () => {
    const result = parseWorkflow(`id: x\nphases: "${'🎉'.repeat(50)}"\n`);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const message = result.problems.map((p) => p.message).join('\n');
    expect(message).toContain(`"${'🎉'.repeat(40)}…"`);
    expect(message).not.toMatch(/\\ud83c/);
  });
});
