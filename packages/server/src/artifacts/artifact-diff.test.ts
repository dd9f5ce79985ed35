import { describe, expect, it } from 'vitest';
import { diffVersions } from './artifact-diff.js';
import { runOf, succeed, T0, testPayload, testPhase, treePayload } from './artifacts.test-support.js';

/** A run whose phase `a` has the outputs given, in order (each a new attempt after a retry). */
async function versionsOf(...outputs: Parameters<typeof succeed>[3][]) {
  const { store, runId } = await runOf(
    testPhase('a', { retry: { maxAttempts: 9, backoffMs: 0, maxBackoffMs: 0, maxRecoveries: 3 } }),
  );
  for (const [index, output] of outputs.entries()) {
    if (index > 0) {
      const retried = await store.apply(runId, { type: 'rewind', phaseId: 'a', by: 'ana' }, T0 + index * 10);
      if (!retried.ok) throw new Error(retried.error.message);
    }
    await succeed(store, runId, 'a', output, T0 + index * 10 + 1);
  }
  return { store, runId };
}

describe('the diff of two versions', () => {
  it('falls back to removing every old line and adding every new one when the texts differ past jsdiff’s edit limit', async () => {
    const old = Array.from({ length: 3000 }, (_, i) => `old ${i}`).join('\n');
    const now = Array.from({ length: 2500 }, (_, i) => `new ${i}`).join('\n');
    const { store, runId } = await versionsOf(testPayload(old), testPayload(now));
    const diff = await diffVersions(store, runId, 'a', 1, 2);
    if (diff.kind !== 'text') throw new Error('expected a text diff');
    const lines = diff.patch.split('\n');
    expect(lines.slice(0, 3)).toEqual(['--- a@1', '+++ a@2', '@@ -1,3000 +1,2500 @@']);
    expect(lines.filter((line) => line.startsWith('-') && !line.startsWith('---'))).toHaveLength(3000);
    expect(lines.filter((line) => line.startsWith('+') && !line.startsWith('+++'))).toHaveLength(2500);
    expect(diff.patch).toContain('\\ No newline at end of file');
  });

  it('compares a file tree with a document by their texts', async () => {
    const { store, runId } = await versionsOf(testPayload('a document\n'), treePayload({ 'a.md': 'x\n' }));
    const diff = await diffVersions(store, runId, 'a', 1, 2);
    expect(diff.kind).toBe('text');
    expect(diff).toMatchObject({
      from: { mediaType: 'text/plain' },
      to: { mediaType: 'application/vnd.baton.file-tree+json' },
    });
  });

  it('diffs JSON as it is when it does not parse', async () => {
    const { store, runId } = await versionsOf(
      testPayload('{"a": 1', 'application/json'),
      testPayload('{"a": 2', 'application/json'),
    );
    const diff = await diffVersions(store, runId, 'a', 1, 2);
    expect(diff.kind === 'text' && diff.patch).toBe(
      '--- a@1\n+++ a@2\n@@ -1,1 +1,1 @@\n-{"a": 1\n\\ No newline at end of file\n+{"a": 2\n\\ No newline at end of file\n',
    );
  });

  it('refuses a version the phase does not have and a missing run', async () => {
    const { store, runId } = await versionsOf(testPayload('one'));
    await expect(diffVersions(store, runId, 'a', 1, 2)).rejects.toMatchObject({ code: 'PHASE_NOT_FOUND' });
    await expect(diffVersions(store, 'nope', 'a', 1, 2)).rejects.toMatchObject({ code: 'RUN_NOT_FOUND' });
  });
});
