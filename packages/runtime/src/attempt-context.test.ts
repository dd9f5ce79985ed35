import { LOCAL_TENANT, type PhaseProgressEvent } from '@baton/engine';
import { createInMemoryRunStore, testPhase, testWorkflow } from '@baton/engine/testing';
import { describe, expect, it, vi } from 'vitest';
import { createAttemptContext } from './attempt-context.js';

describe('createAttemptContext', () => {
  it('records calls in the store’s ledger, warnings and tool calls in the log, and publishes progress', async () => {
    const store = createInMemoryRunStore();
    const clock = { now: () => 5_000 };
    await store.createRun(
      {
        type: 'create',
        runId: 'r1',
        workflow: testWorkflow('w', testPhase('a', { kind: 'agent', agent: 'writer', run: undefined })),
        fixtures: {},
        inputs: {},
        by: 'ana',
      },
      1_000,
    );
    const [task] = await store.claim({ runId: 'r1', limit: 1, now: 2_000 });
    const key = { runId: 'r1', phaseId: 'a', attempt: task!.attempt };
    const local: unknown[] = [];
    const published: PhaseProgressEvent[] = [];
    await store.subscribeProgress((event) => published.push(event));
    const context = createAttemptContext(store, key, clock, (t, update) => local.push([t, update]));

    await context.recordModelCall({
      agent: 'writer',
      provider: 'openai',
      model: 'gpt',
      inputTokens: 10,
      outputTokens: 2,
      cachedTokens: 0,
      costUsd: 0.01,
      latencyMs: 3,
      status: 'ok',
      at: 4_000,
    });
    expect(await context.usage()).toEqual({
      run: expect.objectContaining({ calls: 1, inputTokens: 10 }),
      phase: expect.objectContaining({ calls: 1, outputTokens: 2 }),
    });
    await context.warn('BUDGET_WARNING', '80%');
    await context.trace({ tool: 'read_file', input: { phase: 'spec' }, output: 'CSV' });
    context.progress({ text: 'Bat', outputTokens: 1 });
    // Progress is published without waiting: wait for it to arrive rather than for a timer.
    await vi.waitFor(() => expect(published).toHaveLength(1), { timeout: 10_000 });

    expect(local).toEqual([[key, { text: 'Bat', outputTokens: 1 }]]);
    expect(published).toEqual([{ type: 'phase_progress', ...key, at: 5_000, text: 'Bat', outputTokens: 1 }]);

    // A claimed task's progress says whose it is.
    createAttemptContext(store, task!, clock).progress({ text: 'Batch' });
    await vi.waitFor(() => expect(published).toHaveLength(2), { timeout: 10_000 });
    expect(published[1]).toMatchObject({ runId: 'r1', tenantId: LOCAL_TENANT, text: 'Batch' });
    const events = (await store.listEvents('r1')).map((e) => e.type);
    expect(events.slice(-2)).toEqual(['phase_warning', 'tool_called']);
    expect((await store.listModelCalls('r1'))[0]).toMatchObject({ ...key, provider: 'openai' });
    await store.close();
  });
});
