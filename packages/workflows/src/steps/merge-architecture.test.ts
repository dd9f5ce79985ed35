import { createHash } from 'node:crypto';
import { validateJson, type BuiltinContext, type JsonValue } from '@baton/engine';
import { describe, expect, it } from 'vitest';
import { builtinSteps } from './index.js';
import {
  markdownOutline,
  MAX_INLINE_FILE_BYTES,
  MAX_INLINE_TOTAL_BYTES,
  mergeArchitecture,
  mergeArchitectureStep,
} from './merge-architecture.js';

type Json = { [key: string]: JsonValue };

/** A file tree as the builtin handler hands it over (its manifest), with its blobs to read. */
function tree(
  files: Record<string, string>,
  summary = 'Done.',
): { manifest: Json; blobs: Map<string, string> } {
  const blobs = new Map<string, string>();
  const entries = Object.entries(files).map(([path, content]) => {
    const sha256 = createHash('sha256').update(content).digest('hex');
    blobs.set(sha256, content);
    return { path, sha256, size: Buffer.byteLength(content), mediaType: 'text/plain' };
  });
  return { manifest: { files: entries, summary }, blobs };
}

function contextOf(needs: readonly string[], blobs: ReadonlyMap<string, string> = new Map()): BuiltinContext {
  return {
    runId: 'run-1',
    phaseId: 'architecture',
    attempt: 1,
    runInputs: {},
    needs,
    signal: new AbortController().signal,
    readBlob: (sha256) => Promise.resolve(blobs.get(sha256)),
  };
}

const LOGIC =
  '# Business logic\n\n## Business rules\n\n- **BR-1** One booking per class.\n\n```md\n# not a heading\n```\n';

async function run(inputs: Json, context: BuiltinContext): Promise<Json> {
  const result = await mergeArchitectureStep.run(inputs, context);
  if (!result.ok) throw new Error(`the step failed: ${result.message}`);
  expect(validateJson(mergeArchitectureStep.output!, result.output)).toEqual([]);
  return result.output as Json;
}

describe('the merge-architecture step', () => {
  it('merges a file tree, a document and JSON into one state keyed by phase, in the order of its needs', async () => {
    const data = tree(
      { 'schemas/b.json': '{}\n', 'db/001.sql': 'CREATE TABLE members ();\n' },
      'Nine tables.',
    );
    const output = await run(
      { logic: LOGIC, data: data.manifest, extra: { tokens: 3 } },
      contextOf(
        ['data', 'design', 'logic', 'extra'].filter((id) => id !== 'design'),
        data.blobs,
      ),
    );
    expect(Object.keys(output.branches as Json)).toEqual(['data', 'logic', 'extra']);
    expect(output).toEqual({
      summary:
        'Merged data (a file tree of 2 files), logic (a document of 2 headings) and extra (JSON); nothing was skipped.',
      skipped: [],
      branches: {
        data: {
          status: 'completed',
          kind: 'file-tree',
          summary: 'Nine tables.',
          // Sorted by path, each with its content.
          files: [
            expect.objectContaining({ path: 'db/001.sql', content: 'CREATE TABLE members ();\n', size: 25 }),
            expect.objectContaining({ path: 'schemas/b.json', content: '{}\n', mediaType: 'text/plain' }),
          ],
        },
        logic: {
          status: 'completed',
          kind: 'markdown',
          outline: ['Business logic', 'Business rules'],
          document: LOGIC,
        },
        extra: { status: 'completed', kind: 'json', value: { tokens: 3 } },
      },
    });
  });

  it('marks a skipped branch as skipped, names it in the summary, and merges the rest', async () => {
    const design = tree({ 'design/tokens.css': ':root {}\n' });
    const output = await run(
      { design: design.manifest, logic: LOGIC },
      contextOf(['data', 'design', 'logic'], design.blobs),
    );
    expect(output.skipped).toEqual(['data']);
    expect((output.branches as Json).data).toEqual({ status: 'skipped' });
    expect(output.summary).toBe(
      'Merged design (a file tree of 1 file) and logic (a document of 2 headings); data was skipped, so the state has no part of it.',
    );
    const none = await run({}, contextOf(['data', 'design']));
    expect(none.summary).toBe(
      'Nothing to merge; data and design were skipped, so the state has no part of them.',
    );
  });

  it('lists files too large to inline, or past the total, or not stored, with why — never dropping one', async () => {
    const big = 'x'.repeat(MAX_INLINE_FILE_BYTES + 1);
    const chunk = 'y'.repeat(MAX_INLINE_FILE_BYTES);
    const files: Record<string, string> = { 'a/big.txt': big };
    const fits = MAX_INLINE_TOTAL_BYTES / MAX_INLINE_FILE_BYTES;
    // Distinct contents, so distinct blobs: `fits` of them fill the total, the next one does not fit.
    for (let n = 0; n <= fits; n += 1)
      files[`b/${String(n).padStart(2, '0')}.txt`] = `${n}`.padEnd(chunk.length, 'y');
    const data = tree(files);
    const output = await run({ data: data.manifest }, contextOf(['data'], data.blobs));
    const merged = ((output.branches as Json).data as Json).files as Json[];
    expect(merged).toHaveLength(fits + 2);
    expect(merged[0]).toMatchObject({
      path: 'a/big.txt',
      omitted: "over 64 KiB: read it in data's file tree",
    });
    expect(merged.slice(1, fits + 1).every((file) => typeof file.content === 'string')).toBe(true);
    expect(merged[fits + 1]).toMatchObject({
      omitted: "the state already holds 512 KiB of contents: read it in data's file tree",
    });
    for (const file of [merged[0]!, merged[fits + 1]!]) expect(file.content).toBeUndefined();

    const lost = tree({ 'c/lost.txt': 'gone\n' });
    const unread = await run({ data: lost.manifest }, contextOf(['data']));
    expect(((unread.branches as Json).data as Json).files).toEqual([
      expect.objectContaining({
        path: 'c/lost.txt',
        omitted: "its content is not stored: read it in data's file tree",
      }),
    ]);
  });

  it('outlines a markdown document by its headings, leaving out code fences', () => {
    expect(markdownOutline('# A\ntext\n## B ##\n```\n# c\n```\n###### D\n#no heading\n')).toEqual([
      'A',
      'B',
      'D',
    ]);
  });

  it('is registered among the built-in steps under its name', () => {
    expect(builtinSteps['merge-architecture']).toBe(mergeArchitectureStep);
  });
});

describe('mergeArchitecture', () => {
  it('puts inputs its phase does not list after the ones it needs', async () => {
    const output = await mergeArchitecture({ late: 'text', first: 'text' }, contextOf(['first']));
    expect(Object.keys(output.branches as Json)).toEqual(['first', 'late']);
  });
});
