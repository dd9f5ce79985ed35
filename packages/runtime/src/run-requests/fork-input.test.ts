import { describe, expect, it } from 'vitest';
import { isBatonError } from '@baton/engine';
import { createInMemoryRunStore, testPayload, testPhase, testWorkflow } from '@baton/engine/testing';
import { forkCreateInput } from './fork-input.js';

async function finishedRun() {
  const store = createInMemoryRunStore();
  const workflow = testWorkflow('wf', testPhase('a'), testPhase('b', { needs: ['a'] }));
  await store.createRun({ type: 'create', runId: 'src', workflow, fixtures: {}, inputs: {}, by: 't' }, 1);
  for (const phaseId of ['a', 'b']) {
    await store.apply('src', { type: 'claim', phaseId, attempt: 1 }, 2);
    await store.apply('src', { type: 'succeed', phaseId, attempt: 1, output: testPayload(`${phaseId}!`) }, 3);
  }
  return { store, source: (await store.getRun('src'))! };
}

describe('forkCreateInput', () => {
  it('takes over every phase it can, with its output read from the store', async () => {
    const { store, source } = await finishedRun();
    const input = await forkCreateInput(store, source, { by: 'ana' });
    expect(input.fork).toEqual({
      runId: 'src',
      phases: [
        { phaseId: 'a', status: 'completed', sourceVersion: 1, output: testPayload('a!') },
        { phaseId: 'b', status: 'completed', sourceVersion: 1, output: testPayload('b!') },
      ],
    });
    expect(input.by).toBe('ana');
  });

  it('runs the phase it forks from and everything after it again', async () => {
    const { store, source } = await finishedRun();
    const input = await forkCreateInput(store, source, { from: 'b', by: 'ana' });
    expect(input.fork?.phases.map((p) => p.phaseId)).toEqual(['a']);
    expect(input.fork?.from).toBe('b');
  });

  it('refuses a phase the source does not have', async () => {
    const { store, source } = await finishedRun();
    const error = await forkCreateInput(store, source, { from: 'c', by: 'ana' }).catch((e: unknown) => e);
    expect(isBatonError(error, 'PHASE_NOT_FOUND')).toBe(true);
  });
});
