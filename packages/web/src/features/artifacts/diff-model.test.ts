import { createTwoFilesPatch } from 'diff';
import { describe, expect, it } from 'vitest';
import { diffModel } from './diff-model.js';

const patchOf = (before: string, after: string) =>
  createTwoFilesPatch('spec@1', 'spec@2', before, after, undefined, undefined, { context: 3 });

describe('diffModel', () => {
  it('numbers context, removed and added lines on their own side and counts the changes', () => {
    const model = diffModel(patchOf('a\nb\nc\n', 'a\nB\nc\nd\n'));
    expect(model.added).toBe(2);
    expect(model.removed).toBe(1);
    expect(model.rows.map((row) => [row.kind, row.text, 'oldLine' in row ? row.oldLine : undefined])).toEqual(
      [
        ['hunk', '@@ -1,3 +1,4 @@', undefined],
        ['context', 'a', 1],
        ['removed', 'b', 2],
        ['added', 'B', undefined],
        ['context', 'c', 3],
        ['added', 'd', undefined],
      ],
    );
    const newLines = model.rows.flatMap((row) =>
      row.kind !== 'hunk' && row.newLine !== undefined ? [row.newLine] : [],
    );
    expect(newLines).toEqual([1, 2, 3, 4]);
  });

  it('marks the words that changed between a removed line and the line that replaced it', () => {
    const { rows } = diffModel(patchOf('  "title": "To-do list"\n', '  "title": "Shared to-do list"\n'));
    const removed = rows.find((row) => row.kind === 'removed');
    const added = rows.find((row) => row.kind === 'added');
    expect(
      removed?.kind === 'removed' && removed.parts?.filter((part) => part.changed).map((p) => p.text),
    ).toEqual(['To']);
    expect(added?.kind === 'added' && added.parts?.filter((part) => part.changed).map((p) => p.text)).toEqual(
      ['Shared to'],
    );
    // The parts put together are the line itself.
    expect(added?.kind === 'added' && added.parts?.map((part) => part.text).join('')).toBe(
      '  "title": "Shared to-do list"',
    );
  });

  it('leaves lines without a counterpart unmarked and gives an empty patch no rows', () => {
    const { rows } = diffModel(patchOf('x\n', 'x\ny\nz\n'));
    expect(
      rows.filter((row) => row.kind === 'added').every((row) => !('parts' in row) || row.parts === undefined),
    ).toBe(true);
    expect(diffModel('')).toEqual({ rows: [], added: 0, removed: 0 });
    expect(diffModel(patchOf('same\n', 'same\n')).rows).toEqual([]);
  });

  it('reads a patch with several hunks, restarting the numbers at each', () => {
    const before = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`).join('\n') + '\n';
    const after = before.replace('line 2\n', 'line two\n').replace('line 28\n', 'line twenty-eight\n');
    const hunks = diffModel(patchOf(before, after)).rows.filter((row) => row.kind === 'hunk');
    expect(hunks.map((hunk) => hunk.text)).toEqual(['@@ -1,5 +1,5 @@', '@@ -25,6 +25,6 @@']);
  });
});
