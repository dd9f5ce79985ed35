/**
 * The conformance suite of {@link RunStore}: every implementation (in memory, PGlite, PostgreSQL)
 * runs it. Tests may share one database: each creates its own runs (unique ids) and scopes its
 * claims and queries to them.
 *
 * Over 400 lines because: the cases run inside one `describe` that owns the store's lifecycle and
 * the helpers every case uses (open, create, fold-check); the task-queue cases already live in
 * run-store-queue-contract.ts, and what remains (runs, events, artifacts, the ledger, listing) is
 * one contract read top to bottom.
 */
import { createHash, randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LOCAL_TENANT, type ClaimedTask, type ScopedRunStore } from '../ports/run-store.js';
import { NO_USAGE, type ModelCallRecord } from '../ports/model-calls.js';
import { foldEvents } from '../run/apply-event.js';
import type { RunEvent, WorkflowDefinition } from '../types.js';
import { expectOk, oneToN, seqs, T0, taskKey } from './contract-helpers.js';
import type { RunStoreContractOpenOptions, RunStoreContractOptions } from './contract-options.js';
import { runStoreEventsContract } from './run-store-events-contract.js';
import { runStoreArtifactsContract } from './run-store-artifacts-contract.js';
import { runStoreLifecycleContract } from './run-store-lifecycle-contract.js';
import { runStoreQueueContract } from './run-store-queue-contract.js';
import { runStoreTenancyContract } from './run-store-tenancy-contract.js';
import { testPayload as payload, testPhase as phase, testWorkflow as workflow } from './workflow-fixtures.js';

/**
 * Defines a vitest `describe` block checking that the stores `open` returns behave as a
 * {@link RunStore} must. `open` is called before each test; the suite closes the store after it.
 */
export function runStoreContract(
  name: string,
  open: (options?: RunStoreContractOpenOptions) => Promise<ScopedRunStore>,
  options: RunStoreContractOptions = {},
): void {
  describe(`RunStore contract: ${name}`, () => {
    const prefix = `c-${randomUUID().slice(0, 8)}`;
    let counter = 0;
    let store: ScopedRunStore;

    function newRunId(label: string): string {
      counter += 1;
      return `${prefix}-${counter}-${label}`;
    }

    async function create(wf: WorkflowDefinition, now = T0, runId = newRunId(wf.id)) {
      const transition = expectOk(
        await store.createRun(
          { type: 'create', runId, workflow: wf, fixtures: {}, inputs: { topic: 'x' }, by: 'ana' },
          now,
        ),
      );
      return { runId, transition };
    }

    async function claimAll(runId: string, now: number): Promise<ClaimedTask[]> {
      return store.claim({ runId, limit: 100, now });
    }

    async function expectLogFoldsToState(runId: string): Promise<void> {
      const events = await store.listEvents(runId);
      expect(seqs(events)).toEqual(oneToN(events.length));
      expect(foldEvents(undefined, events)).toEqual(await store.getRun(runId));
    }

    beforeEach(async () => {
      store = await open();
    });

    afterEach(async () => {
      await store.close();
    });

    it('creates a run whose log starts with run_created at seq 1 and folds to the state it returned', async () => {
      const wf = workflow(
        'diamond',
        phase('a'),
        phase('b', { needs: ['a'] }),
        phase('c', { needs: ['a'] }),
        phase('d', { needs: ['b', 'c'] }),
      );
      const { runId, transition } = await create(wf);

      expect(transition.events[0]).toMatchObject({ seq: 1, type: 'run_created', runId, at: T0 });
      expect(seqs(transition.events)).toEqual(oneToN(transition.events.length));
      expect(transition.commands).toEqual([
        { type: 'enqueue', phaseId: 'a', attempt: 1, kind: 'tool', runAt: T0 },
      ]);
      const state = await store.getRun(runId);
      expect(state).toEqual(transition.state);
      expect(state?.workflow).toEqual(wf);
      expect(state?.inputs).toEqual({ topic: 'x' });
      expect(await store.listEvents(runId)).toEqual(transition.events);
      await expectLogFoldsToState(runId);
    });

    it('numbers the log from 1 without gaps through claims, results and a gate decision', async () => {
      const wf = workflow('gated', phase('draft', { gate: true }), phase('publish', { needs: ['draft'] }));
      const { runId, transition } = await create(wf);
      const all: RunEvent[] = [...transition.events];

      const [draft] = await claimAll(runId, T0 + 1);
      expect(draft).toMatchObject({ runId, phaseId: 'draft', attempt: 1, kind: 'tool', runAt: T0 });
      all.push(...draft!.events);
      all.push(
        ...expectOk(
          await store.apply(
            runId,
            { type: 'succeed', phaseId: 'draft', attempt: 1, output: payload('v1') },
            T0 + 2,
          ),
        ).events,
      );
      expect((await store.getRun(runId))?.status).toBe('waiting');
      all.push(
        ...expectOk(
          await store.apply(
            runId,
            { type: 'decide', phaseId: 'draft', decision: { kind: 'approve' }, by: 'ana' },
            T0 + 3,
          ),
        ).events,
      );
      const [publish] = await claimAll(runId, T0 + 4);
      all.push(...publish!.events);
      const last = expectOk(
        await store.apply(
          runId,
          { type: 'succeed', phaseId: 'publish', attempt: 1, output: payload('done') },
          T0 + 5,
        ),
      );
      all.push(...last.events);

      expect(last.state.status).toBe('completed');
      const events = await store.listEvents(runId);
      expect(events).toEqual(all);
      expect(seqs(events)).toEqual(oneToN(events.length));
      expect(await store.listEvents(runId, { afterSeq: events.length - 2 })).toEqual(events.slice(-2));
      // A page: the first `limit` after `afterSeq`.
      expect(await store.listEvents(runId, { afterSeq: 1, limit: 2 })).toEqual(events.slice(1, 3));
      expect(await store.listEvents(runId, { limit: 1 })).toEqual(events.slice(0, 1));
      await expectLogFoldsToState(runId);
    });

    it('makes a join ready exactly once when both of its parents succeed concurrently', async () => {
      const wf = workflow('join', phase('a'), phase('b'), phase('c', { needs: ['a', 'b'] }));
      const runs = await Promise.all([1, 2, 3].map(() => create(wf)));
      for (const { runId } of runs) expect(await claimAll(runId, T0 + 1)).toHaveLength(2);

      const results = await Promise.all(
        runs.flatMap(({ runId }) =>
          ['a', 'b'].map((phaseId) =>
            store.apply(
              runId,
              { type: 'succeed', phaseId, attempt: 1, output: payload(`${phaseId}!`) },
              T0 + 2,
            ),
          ),
        ),
      );
      for (const result of results) expect(expectOk(result).ignored).toBeUndefined();

      for (const { runId } of runs) {
        const events = await store.listEvents(runId);
        expect(events.filter((e) => e.type === 'phase_ready' && e.phaseId === 'c')).toHaveLength(1);
        await expectLogFoldsToState(runId);
        const claimed = await claimAll(runId, T0 + 3);
        expect(claimed.map(taskKey)).toEqual([`${runId}/c#1`]);
      }
    });

    it('never hands the same task to two concurrent claims, and a later claim gets what they left', async () => {
      const ids = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6'];
      const { runId } = await create(workflow('wide', ...ids.map((id) => phase(id))));

      const [first, second] = await Promise.all([
        store.claim({ runId, limit: 6, now: T0 + 1 }),
        store.claim({ runId, limit: 6, now: T0 + 1 }),
      ]);
      const third = await store.claim({ runId, limit: 6, now: T0 + 1 });
      const keys = [...first, ...second, ...third].map(taskKey);
      expect(new Set(keys).size).toBe(keys.length);
      expect(keys.sort()).toEqual(ids.map((id) => `${runId}/${id}#1`).sort());
      expect(await store.claim({ runId, limit: 6, now: T0 + 2 })).toEqual([]);

      for (const task of [...first, ...second, ...third]) {
        expect(task.state.phases[task.phaseId]?.status).toBe('running');
        expect(task.events).toEqual([
          expect.objectContaining({ type: 'phase_started', phaseId: task.phaseId, attempt: 1 }),
        ]);
      }
      await expectLogFoldsToState(runId);
    });

    it('claims tasks oldest first up to the limit and skips those not due yet', async () => {
      const retry = { maxAttempts: 3, backoffMs: 1000, maxBackoffMs: 1000, maxRecoveries: 3 };
      const { runId } = await create(workflow('due', phase('p', { retry }), phase('q')));
      expect(await store.nextDue({ runId })).toBe(T0);

      const [p] = await store.claim({ runId, limit: 1, now: T0 });
      expect(p).toMatchObject({ phaseId: 'p', attempt: 1 });
      const failed = expectOk(
        await store.apply(
          runId,
          {
            type: 'fail',
            phaseId: 'p',
            attempt: 1,
            error: { code: 'EXIT_CODE', message: 'boom' },
            retryable: true,
          },
          T0 + 10,
        ),
      );
      const retryAt = failed.state.phases.p?.notBefore;
      expect(retryAt).toBeGreaterThan(T0 + 10);
      expect(failed.commands).toContainEqual({
        type: 'enqueue',
        phaseId: 'p',
        attempt: 2,
        kind: 'tool',
        runAt: retryAt,
      });

      expect(await store.nextDue({ runId })).toBe(T0);
      expect((await store.claim({ runId, limit: 10, now: T0 + 10 })).map(taskKey)).toEqual([`${runId}/q#1`]);
      expect(await store.nextDue({ runId })).toBe(retryAt);
      expect(await store.claim({ runId, limit: 10, now: retryAt! - 1 })).toEqual([]);
      const [again] = await store.claim({ runId, limit: 10, now: retryAt! });
      expect(again).toMatchObject({ runId, phaseId: 'p', attempt: 2, runAt: retryAt });
      expect(await store.nextDue({ runId })).toBeUndefined();
      await expectLogFoldsToState(runId);
    });

    it('lists the tasks that were claimed and have no result yet', async () => {
      const { runId } = await create(
        workflow('running', phase('a'), phase('b', { kind: 'agent', agent: 'scripted' })),
      );
      expect(await store.runningTasks({ runId })).toEqual([]);
      await claimAll(runId, T0 + 1);
      const running = await store.runningTasks({ runId });
      expect(running).toHaveLength(2);
      const b = { runId, tenantId: LOCAL_TENANT, phaseId: 'b', attempt: 1, kind: 'agent', runAt: T0 };
      expect(running).toContainEqual({ ...b, heartbeatAt: T0 + 1 });

      expectOk(
        await store.apply(runId, { type: 'succeed', phaseId: 'a', attempt: 1, output: payload('a') }, T0 + 2),
      );
      expect(await store.runningTasks({ runId })).toEqual([{ ...b, heartbeatAt: T0 + 1 }]);
      expect((await store.runningTasks()).map(taskKey)).toContain(`${runId}/b#1`);
    });

    it('ignores a duplicate or stale result without changing the log, and still finishes its task', async () => {
      const { runId } = await create(workflow('stale', phase('a'), phase('b'), phase('c')));
      await claimAll(runId, T0 + 1);
      expectOk(
        await store.apply(runId, { type: 'succeed', phaseId: 'a', attempt: 1, output: payload('a') }, T0 + 2),
      );
      const length = (await store.listEvents(runId)).length;

      const duplicate = expectOk(
        await store.apply(
          runId,
          { type: 'succeed', phaseId: 'a', attempt: 1, output: payload('again') },
          T0 + 3,
        ),
      );
      expect(duplicate.ignored).toEqual(expect.any(String));
      expect(duplicate.events).toEqual([]);

      expectOk(await store.apply(runId, { type: 'cancel', by: 'ana', reason: 'enough' }, T0 + 4));
      const cancelledLength = (await store.listEvents(runId)).length;
      // The cancel aborted the running attempts: their tasks are finished, their holders told at
      // their next heartbeat; what they report afterwards is late.
      expect(await store.runningTasks({ runId })).toEqual([]);

      const late = expectOk(
        await store.apply(
          runId,
          {
            type: 'fail',
            phaseId: 'b',
            attempt: 1,
            error: { code: 'EXIT_CODE', message: 'x' },
            retryable: true,
          },
          T0 + 5,
        ),
      );
      const lost = expectOk(
        await store.apply(runId, { type: 'abandon', phaseId: 'c', attempt: 1, cause: 'interrupted' }, T0 + 6),
      );
      expect(late.ignored).toEqual(expect.any(String));
      expect(lost.ignored).toEqual(expect.any(String));
      expect(await store.runningTasks({ runId })).toEqual([]);
      expect((await store.listEvents(runId)).length).toBe(cancelledLength);
      expect(cancelledLength).toBeGreaterThan(length);
      await expectLogFoldsToState(runId);
    });

    it('stores artifacts byte for byte with their size and sha256', async () => {
      const { runId } = await create(workflow('artifacts', phase('text'), phase('json')));
      await claimAll(runId, T0 + 1);
      const text = payload('héllo wörld ✓ 🚀\nline two\r\n\ttabbed \\ "quoted" \u0001');
      const json = payload(
        JSON.stringify({ title: 'Ünïcode', items: [1, 2.5, null, true], nested: { emoji: '🎉' } }),
        'application/json',
      );
      const stored = expectOk(
        await store.apply(runId, { type: 'succeed', phaseId: 'text', attempt: 1, output: text }, T0 + 2),
      );
      expectOk(
        await store.apply(runId, { type: 'succeed', phaseId: 'json', attempt: 1, output: json }, T0 + 3),
      );
      expect(stored.commands).toContainEqual(
        expect.objectContaining({ type: 'store_artifact', phaseId: 'text' }),
      );

      const got = await store.getArtifact(runId, 'text', 1);
      expect(got).toEqual({
        runId,
        phaseId: 'text',
        attempt: 1,
        version: 1,
        mediaType: 'text/plain',
        size: text.size,
        sha256: text.sha256,
        createdAt: T0 + 2,
        content: text.text,
      });
      expect(payload(got!.content).sha256).toBe(text.sha256);
      expect(Buffer.byteLength(got!.content, 'utf8')).toBe(text.size);
      expect(await store.getArtifact(runId, 'json', 1)).toMatchObject({
        mediaType: 'application/json',
        content: json.text,
        sha256: json.sha256,
      });
      expect(await store.getArtifact(runId, 'text', 2)).toBeUndefined();
      expect(await store.getArtifact('no-such-run', 'text', 1)).toBeUndefined();

      // Many versions in one read: in the order asked, undefined where there is none.
      const many = await store.getArtifacts(runId, [
        { phaseId: 'json', version: 1 },
        { phaseId: 'text', version: 2 },
        { phaseId: 'text', version: 1 },
        { phaseId: 'nope', version: 1 },
        { phaseId: 'json', version: 1 },
      ]);
      const jsonStored = await store.getArtifact(runId, 'json', 1);
      expect(many).toEqual([jsonStored, undefined, got, undefined, jsonStored]);
      expect(await store.getArtifacts(runId, [])).toEqual([]);
      expect(await store.getArtifacts('no-such-run', [{ phaseId: 'text', version: 1 }])).toEqual([undefined]);
    });

    it('leaves the run untouched when a transition is refused', async () => {
      const { runId } = await create(workflow('refused', phase('a')));
      const events = await store.listEvents(runId);
      const state = await store.getRun(runId);

      const approve = await store.apply(
        runId,
        { type: 'decide', phaseId: 'a', decision: { kind: 'approve' }, by: 'ana' },
        T0 + 1,
      );
      expect(approve).toMatchObject({ ok: false, error: { code: 'INVALID_TRANSITION' } });
      expect(await store.apply(runId, { type: 'resume', by: 'ana' }, T0 + 1)).toMatchObject({
        ok: false,
        error: { code: 'INVALID_TRANSITION' },
      });
      expect(await store.apply(runId, { type: 'skip', phaseId: 'nope', by: 'ana' }, T0 + 1)).toMatchObject({
        ok: false,
        error: { code: 'PHASE_NOT_FOUND' },
      });

      expect(await store.listEvents(runId)).toEqual(events);
      expect(await store.getRun(runId)).toEqual(state);
      expect(await store.nextDue({ runId })).toBe(T0);
    });

    it('refuses a second run with a taken id and keeps the first', async () => {
      const { runId, transition } = await create(workflow('first', phase('a')));
      const again = await store.createRun(
        {
          type: 'create',
          runId,
          workflow: workflow('second', phase('z')),
          fixtures: {},
          inputs: {},
          by: 'bob',
        },
        T0 + 1,
      );
      expect(again).toMatchObject({ ok: false, error: { code: 'INVALID_TRANSITION' } });
      expect(await store.getRun(runId)).toEqual(transition.state);
      expect(await store.listEvents(runId)).toEqual(transition.events);
    });

    it('answers RUN_NOT_FOUND for an unknown run and tells how to list runs', async () => {
      const runId = newRunId('missing');
      expect(await store.apply(runId, { type: 'pause', by: 'ana' }, T0)).toEqual({
        ok: false,
        error: { code: 'RUN_NOT_FOUND', message: `no run "${runId}" — list runs with \`baton runs\`` },
      });
      expect(await store.getRun(runId)).toBeUndefined();
      expect(await store.listEvents(runId)).toEqual([]);
      expect(await store.claim({ runId, limit: 10, now: T0 })).toEqual([]);
      expect(await store.nextDue({ runId })).toBeUndefined();
    });

    it('lists runs newest first, with their workflow and status', async () => {
      const wf = workflow('listed', phase('a'));
      const older = await create(wf, T0 + 1, newRunId('zz-older'));
      const middle = await create(wf, T0 + 2, newRunId('aa-middle'));
      const newer = await create(wf, T0 + 3, newRunId('mm-newer'));
      expectOk(await store.apply(middle.runId, { type: 'pause', by: 'ana' }, T0 + 4));

      const ours = new Set([older.runId, middle.runId, newer.runId]);
      const listed = (await store.listRuns()).filter((run) => ours.has(run.id));
      const summary = { tenantId: LOCAL_TENANT, workflowId: 'listed' };
      expect(listed).toEqual([
        { id: newer.runId, ...summary, status: 'running', createdAt: T0 + 3, updatedAt: T0 + 3 },
        { id: middle.runId, ...summary, status: 'paused', createdAt: T0 + 2, updatedAt: T0 + 4 },
        { id: older.runId, ...summary, status: 'running', createdAt: T0 + 1, updatedAt: T0 + 1 },
      ]);
      expect(await store.listRuns({ limit: 2 })).toHaveLength(2);
    });

    it('drops queued tasks when a run pauses and queues them again when it resumes', async () => {
      const { runId } = await create(workflow('pause', phase('a'), phase('b')));
      expectOk(await store.apply(runId, { type: 'pause', by: 'ana' }, T0 + 1));
      expect(await store.nextDue({ runId })).toBeUndefined();
      expect(await claimAll(runId, T0 + 2)).toEqual([]);

      expectOk(await store.apply(runId, { type: 'resume', by: 'ana' }, T0 + 3));
      expect(await store.nextDue({ runId })).toBe(T0 + 3);
      expect((await claimAll(runId, T0 + 4)).map(taskKey).sort()).toEqual([`${runId}/a#1`, `${runId}/b#1`]);
      await expectLogFoldsToState(runId);
    });

    it.skipIf(!options.persistent)(
      'keeps runs, events, artifacts and tasks when the store is reopened',
      async () => {
        const { runId } = await create(
          workflow('durable', phase('a'), phase('b', { needs: ['a'] }), phase('c'), phase('d')),
        );
        await store.claim({ runId, limit: 1, now: T0 + 1 });
        expectOk(
          await store.apply(
            runId,
            { type: 'succeed', phaseId: 'a', attempt: 1, output: payload('a ✓') },
            T0 + 2,
          ),
        );
        await store.claim({ runId, limit: 1, now: T0 + 3 });

        const snapshot = async () => ({
          state: await store.getRun(runId),
          events: await store.listEvents(runId),
          run: (await store.listRuns()).find((run) => run.id === runId),
          artifact: await store.getArtifact(runId, 'a', 1),
          running: await store.runningTasks({ runId }),
          nextDue: await store.nextDue({ runId }),
        });
        const before = await snapshot();
        expect(before.running).toHaveLength(1);
        expect(before.nextDue).toBe(T0);

        await store.close();
        store = await open({ reopen: true });
        expect(await snapshot()).toEqual(before);

        // A fresh store (empty cache) carries on the same log.
        const [next] = await claimAll(runId, T0 + 4);
        expect(next?.events[0]?.seq).toBe(before.events.length + 1);
        await expectLogFoldsToState(runId);
      },
    );

    it('stores a file tree’s contents once by hash and reads them back; a later version shares unchanged files', async () => {
      const { runId } = await create(workflow('tree', phase('code')));
      const blob = (text: string) => ({
        sha256: createHash('sha256').update(text, 'utf8').digest('hex'),
        size: Buffer.byteLength(text, 'utf8'),
        text,
      });
      const a = blob('export const a = 1;\n');
      const b1 = blob('export const b = 1;\n');
      const b2 = blob('export const b = 2; // ünïcode\n');
      const [first] = await claimAll(runId, T0 + 1);
      // Version 1 of the tree holds a and b1.
      expectOk(
        await store.apply(
          runId,
          {
            type: 'succeed',
            phaseId: 'code',
            attempt: first!.attempt,
            output: { ...payload('{}'), files: [a, b1] },
          },
          T0 + 2,
        ),
      );
      expect(await store.getBlob(a.sha256)).toBe(a.text);
      expect(await store.getBlob(b1.sha256)).toBe(b1.text);
      expect(await store.getBlob(b2.sha256)).toBeUndefined();
      await store.apply(runId, { type: 'rewind', phaseId: 'code', by: 'ana' }, T0 + 10_002);
      const [third] = await claimAll(runId, T0 + 10_003);
      // Version 2 shares a (sent again: kept once, not an error) and changes b.
      expectOk(
        await store.apply(
          runId,
          {
            type: 'succeed',
            phaseId: 'code',
            attempt: third!.attempt,
            output: { ...payload('{ }'), files: [a, b2] },
          },
          T0 + 10_004,
        ),
      );
      expect(await store.getBlob(b2.sha256)).toBe(b2.text);
      expect(await store.getBlob(a.sha256)).toBe(a.text);
    });

    it('records a tool call of a running attempt in the log, and ignores a stale one', async () => {
      const { runId } = await create(workflow('trace', phase('code')));
      const [task] = await claimAll(runId, T0 + 1);
      const traced = expectOk(
        await store.apply(
          runId,
          {
            type: 'trace',
            phaseId: 'code',
            attempt: task!.attempt,
            tool: 'read_file',
            input: { phase: 'spec' },
            output: 'CSV',
          },
          T0 + 2,
        ),
      );
      expect(traced.events).toMatchObject([
        { type: 'tool_called', tool: 'read_file', input: { phase: 'spec' }, output: 'CSV' },
      ]);
      const stale = expectOk(
        await store.apply(
          runId,
          { type: 'trace', phaseId: 'code', attempt: 9, tool: 'x', input: null },
          T0 + 3,
        ),
      );
      expect(stale.ignored).toBeDefined();
      await expectLogFoldsToState(runId);
    });

    it('records model calls in the ledger and sums them per phase and per run', async () => {
      const { runId } = await create(workflow('ledger', phase('plan'), phase('code', { needs: ['plan'] })));
      const { runId: other } = await create(workflow('other', phase('plan')));
      const call = (phaseId: string, extra: Partial<ModelCallRecord> = {}): ModelCallRecord => ({
        runId,
        phaseId,
        attempt: 1,
        agent: 'writer',
        provider: 'openai',
        model: 'gpt-a',
        inputTokens: 100,
        outputTokens: 20,
        cachedTokens: 0,
        costUsd: 0.25,
        latencyMs: 12,
        status: 'ok',
        at: T0 + 1,
        ...extra,
      });
      const calls = [
        call('plan', { status: 'error', error: 'HTTP 500: overloaded', outputTokens: 0, costUsd: 0.125 }),
        call('plan', { attempt: 2, cachedTokens: 40, at: T0 + 2 }),
        call('code', { provider: 'anthropic', model: 'claude-a', costUsd: null, at: T0 + 3 }),
        call('plan', { attempt: 2, provider: 'deepseek', model: 'ds-b', inputTokens: 7, at: T0 + 4 }),
      ];
      for (const c of calls) await store.recordModelCall(c);
      await store.recordModelCall({ ...call('plan'), runId: other, inputTokens: 999 });

      expect(await store.listModelCalls(runId)).toEqual(calls);
      const usage = await store.modelUsage(runId);
      expect(usage.phases).toEqual([
        {
          phaseId: 'plan',
          provider: 'deepseek',
          model: 'ds-b',
          calls: 3,
          inputTokens: 207,
          outputTokens: 40,
          cachedTokens: 40,
          costUsd: 0.625,
          unpricedCalls: 0,
        },
        {
          phaseId: 'code',
          provider: 'anthropic',
          model: 'claude-a',
          calls: 1,
          inputTokens: 100,
          outputTokens: 20,
          cachedTokens: 0,
          costUsd: 0,
          unpricedCalls: 1,
        },
      ]);
      expect(usage.total).toEqual({
        calls: 4,
        inputTokens: 307,
        outputTokens: 60,
        cachedTokens: 40,
        costUsd: 0.625,
        unpricedCalls: 1,
      });
      expect(await store.modelUsage(newRunId('none'))).toEqual({ total: NO_USAGE, phases: [] });
    });

    runStoreQueueContract(
      {
        store: () => store,
        open,
        create: async (wf, now) => (await create(wf, now)).runId,
        expectLogFoldsToState,
      },
      options,
    );

    runStoreTenancyContract({ store: () => store, newId: newRunId });

    runStoreLifecycleContract({ store: () => store, newId: newRunId });

    runStoreEventsContract({ store: () => store, open, newId: newRunId }, options);
    runStoreArtifactsContract({ store: () => store, newId: newRunId });
  });
}
