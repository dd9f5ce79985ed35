/**
 * A unified diff (what the server's `…/artifacts/diff` answers) as rows a person reads: one row
 * per hunk header and per line, with the old and new line numbers, and — for a removed line
 * followed by its replacement — the words that changed marked on both sides. Pure: parsing is
 * jsdiff's `parsePatch`, the word diff its `diffWordsWithSpace`.
 */
import { diffWordsWithSpace, parsePatch } from 'diff';

/** A stretch of a changed line: `changed` when it differs from the other side. */
export interface DiffPart {
  readonly text: string;
  readonly changed: boolean;
}

export type DiffRow =
  | { readonly kind: 'hunk'; readonly text: string }
  | {
      readonly kind: 'context' | 'added' | 'removed';
      readonly text: string;
      /** The line's number in the older version (absent for an added line). */
      readonly oldLine?: number;
      /** The line's number in the newer version (absent for a removed line). */
      readonly newLine?: number;
      /** A line that replaced, or was replaced by, another: its words, the changed ones marked. */
      readonly parts?: readonly DiffPart[];
    };

export interface DiffModel {
  readonly rows: readonly DiffRow[];
  readonly added: number;
  readonly removed: number;
}

/** Lines longer than this are shown whole, without a word diff (it is quadratic). */
const WORD_DIFF_LIMIT = 1000;

/** The rows of `patch` (one file's unified diff, headers optional); an empty patch has none. */
export function diffModel(patch: string): DiffModel {
  const rows: DiffRow[] = [];
  let added = 0;
  let removed = 0;
  for (const file of parsePatch(patch)) {
    for (const hunk of file.hunks) {
      rows.push({
        kind: 'hunk',
        text: `@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`,
      });
      let oldLine = hunk.oldStart;
      let newLine = hunk.newStart;
      let removedRun: number[] = [];
      let addedRun: number[] = [];
      const flush = () => {
        pairWords(rows, removedRun, addedRun);
        removedRun = [];
        addedRun = [];
      };
      for (const line of hunk.lines) {
        const mark = line[0];
        const text = line.slice(1);
        if (mark === '-') {
          if (addedRun.length > 0) flush();
          removedRun.push(rows.length);
          rows.push({ kind: 'removed', text, oldLine: oldLine++ });
          removed++;
        } else if (mark === '+') {
          addedRun.push(rows.length);
          rows.push({ kind: 'added', text, newLine: newLine++ });
          added++;
        } else if (mark === ' ') {
          flush();
          rows.push({ kind: 'context', text, oldLine: oldLine++, newLine: newLine++ });
        }
        // `\ No newline at end of file` says nothing a reader needs here.
      }
      flush();
    }
  }
  return { rows, added, removed };
}

/** Pairs the i-th removed line of a run with the i-th added one and marks their changed words. */
function pairWords(rows: DiffRow[], removedRun: readonly number[], addedRun: readonly number[]): void {
  const pairs = Math.min(removedRun.length, addedRun.length);
  for (let i = 0; i < pairs; i++) {
    const before = rows[removedRun[i]!]!;
    const after = rows[addedRun[i]!]!;
    if (before.kind === 'hunk' || after.kind === 'hunk') continue;
    if (before.text.length > WORD_DIFF_LIMIT || after.text.length > WORD_DIFF_LIMIT) continue;
    const changes = diffWordsWithSpace(before.text, after.text);
    const oldParts: DiffPart[] = [];
    const newParts: DiffPart[] = [];
    for (const change of changes) {
      if (!change.added) oldParts.push({ text: change.value, changed: change.removed });
      if (!change.removed) newParts.push({ text: change.value, changed: change.added });
    }
    rows[removedRun[i]!] = { ...before, parts: merge(oldParts) };
    rows[addedRun[i]!] = { ...after, parts: merge(newParts) };
  }
}

/** Joins neighbouring parts of the same kind. */
function merge(parts: readonly DiffPart[]): DiffPart[] {
  const merged: DiffPart[] = [];
  for (const part of parts) {
    const last = merged.at(-1);
    if (last !== undefined && last.changed === part.changed)
      merged[merged.length - 1] = { text: last.text + part.text, changed: part.changed };
    else merged.push(part);
  }
  return merged;
}
