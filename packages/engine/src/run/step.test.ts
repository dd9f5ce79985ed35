import { describe, expect, it } from 'vitest';
import type { OutputPayload, PhaseDefinition, RunInput } from '../types.js';
import { planFork } from './fork.js';
import { step } from './step.js';
import { Harness, json, phase, text, workflow } from './step-harness.test-support.js';
import type { RunEvent } from '../types.js';

describe('step', () => {
  it('makes the roots ready and queues them when a run is created', () => {
    const h = new Harness(workflow(phase('a'), phase('b', { needs: ['a'] }), phase('c')));
    expect(h.status('a')).toBe('ready');
    expect(h.status('b')).toBe('blocked');
    expect(h.status('c')).toBe('ready');
    expect(h.state.status).toBe('running');
    expect(h.log.map((e) => e.seq)).toEqual([1, 2, 3]);
  });

  it('starts a fan-in only after every parent completed, and completes the run', () => {
    const h = new Harness(workflow(phase('a'), phase('b'), phase('join', { needs: ['a', 'b'] })));
    h.run('a');
    expect(h.status('join')).toBe('blocked');
    const result = h.run('b');
    expect(result.ok && result.commands).toContainEqual(
      expect.objectContaining({ type: 'enqueue', phaseId: 'join', attempt: 1 }),
    );
    h.run('join');
    expect(h.state.status).toBe('completed');
    expect(h.types().at(-1)).toBe('run_completed');
  });

  it('ignores a duplicate completion and a stale attempt, leaving the log unchanged', () => {
    const h = new Harness(workflow(phase('a'), phase('b', { needs: ['a'] })));
    h.run('a');
    const before = h.log.length;
    const duplicate = h.apply({ type: 'succeed', phaseId: 'a', attempt: 1, output: text('again') });
    expect(duplicate).toMatchObject({ ok: true, events: [] });
    expect(duplicate.ok && duplicate.ignored).toMatch(/not running/);
    const stale = h.apply({ type: 'claim', phaseId: 'a', attempt: 1 });
    expect(stale).toMatchObject({
      ok: true,
      events: [],
      ignored: 'attempt 1 of "a" is not ready (the phase is completed at attempt 1)',
    });
    expect(h.log.length).toBe(before);
  });

  it('retries a failed attempt after a growing backoff and then fails for good', () => {
    const h = new Harness(
      workflow(
        phase('a', { retry: { maxAttempts: 3, backoffMs: 1000, maxBackoffMs: 60_000, maxRecoveries: 3 } }),
      ),
    );
    const first = h.fail('a', { code: 'EXIT_CODE', message: 'boom', retryable: true });
    expect(h.status('a')).toBe('ready');
    const notBefore = h.state.phases.a!.notBefore!;
    expect(notBefore - h.now).toBeGreaterThanOrEqual(500);
    expect(notBefore - h.now).toBeLessThanOrEqual(1000);
    expect(first.ok && first.commands).toEqual([
      { type: 'enqueue', phaseId: 'a', attempt: 2, kind: 'tool', runAt: notBefore },
    ]);
    expect(h.apply({ type: 'claim', phaseId: 'a', attempt: 2 })).toMatchObject({
      ignored: expect.stringMatching(/not due/),
    });
    h.now = notBefore;
    h.fail('a', { code: 'EXIT_CODE', message: 'boom', retryable: true });
    const second = h.state.phases.a!.notBefore! - h.now;
    expect(second).toBeGreaterThanOrEqual(1000);
    expect(second).toBeLessThanOrEqual(2000);
    h.now += second;
    h.fail('a', { code: 'EXIT_CODE', message: 'boom', retryable: true });
    expect(h.status('a')).toBe('failed');
    expect(h.state.status).toBe('failed');
    expect(h.state.ended?.reason).toContain('"a" failed: boom');
  });

  it('does not retry a failure that is not retryable', () => {
    const h = new Harness(workflow(phase('a')));
    h.fail('a', { code: 'FIXTURE_MISSING', message: 'no fixture', retryable: false });
    expect(h.status('a')).toBe('failed');
  });

  it('lets an independent branch finish when another fails with onFailure continue', () => {
    const h = new Harness(
      workflow(
        phase('bad', { retry: { maxAttempts: 1, backoffMs: 0, maxBackoffMs: 0, maxRecoveries: 3 } }),
        phase('after', { needs: ['bad'] }),
        phase('good'),
      ),
    );
    h.fail('bad', { code: 'EXIT_CODE', message: 'x', retryable: true });
    expect(h.state.status).toBe('running');
    h.run('good');
    expect(h.status('good')).toBe('completed');
    expect(h.status('after')).toBe('blocked');
    expect(h.state.status).toBe('failed');
  });

  it('runs dependents without the input of a phase that failed with onFailure skip', () => {
    const h = new Harness(
      workflow(
        phase('opt', {
          onFailure: 'skip',
          retry: { maxAttempts: 1, backoffMs: 0, maxBackoffMs: 0, maxRecoveries: 3 },
        }),
        phase('next', { needs: ['opt'] }),
      ),
    );
    h.fail('opt', { code: 'EXIT_CODE', message: 'x', retryable: true });
    expect(h.status('opt')).toBe('skipped');
    expect(h.status('next')).toBe('ready');
    h.run('next');
    expect(h.state.status).toBe('completed');
  });

  it('cancels everything else at once on a fail-fast failure, and reopens the run on retry', () => {
    const h = new Harness(
      workflow(
        phase('ff', {
          onFailure: 'fail-fast',
          retry: { maxAttempts: 1, backoffMs: 0, maxBackoffMs: 0, maxRecoveries: 3 },
        }),
        phase('slow'),
        phase('after', { needs: ['ff'] }),
      ),
    );
    h.apply({ type: 'claim', phaseId: 'slow', attempt: 1 });
    const result = h.fail('ff', { code: 'EXIT_CODE', message: 'x', retryable: true });
    expect(result.ok && result.commands).toContainEqual({
      type: 'abort',
      phaseId: 'slow',
      attempt: 1,
      reason: expect.any(String),
    });
    expect(h.status('slow')).toBe('cancelled');
    expect(h.status('after')).toBe('cancelled');
    expect(h.state.status).toBe('failed');
    h.apply({ type: 'succeed', phaseId: 'slow', attempt: 1, output: text('late') });
    expect(h.status('slow')).toBe('cancelled');

    expect(h.apply({ type: 'retry', phaseId: 'ff', by: 'ana' })).toMatchObject({ ok: true });
    expect(h.types()).toContain('run_reopened');
    expect(h.status('ff')).toBe('ready');
    expect(h.state.phases.ff!.attempt).toBe(2);
    expect(h.status('slow')).toBe('ready');
    expect(h.state.phases.slow!.attempt).toBe(2);
    expect(h.status('after')).toBe('blocked');
    h.run('ff');
    h.run('slow');
    h.run('after');
    expect(h.state.status).toBe('completed');
  });

  it('holds a gated output until a person approves it, without holding back other branches', () => {
    const h = new Harness(
      workflow(phase('draft', { gate: true }), phase('publish', { needs: ['draft'] }), phase('other')),
    );
    h.run('draft', text('v1'));
    expect(h.status('draft')).toBe('waiting_for_human');
    expect(h.state.phases.draft!.waiting).toMatchObject({ source: 'gate', version: 1 });
    expect(h.status('publish')).toBe('blocked');
    h.run('other');
    expect(h.state.status).toBe('waiting');
    h.apply({
      type: 'decide',
      phaseId: 'draft',
      decision: { kind: 'approve' },
      by: 'ana',
      reason: 'looks right',
    });
    expect(h.status('draft')).toBe('completed');
    expect(h.state.phases.draft!.lastDecision).toMatchObject({
      decision: 'approve',
      by: 'ana',
      reason: 'looks right',
    });
    expect(h.status('publish')).toBe('ready');
  });

  it('runs a new attempt with the feedback when a person requests changes', () => {
    const h = new Harness(
      workflow(
        phase('draft', {
          gate: true,
          retry: { maxAttempts: 1, backoffMs: 0, maxBackoffMs: 0, maxRecoveries: 3 },
        }),
      ),
    );
    h.run('draft', text('v1'));
    h.apply({
      type: 'decide',
      phaseId: 'draft',
      decision: { kind: 'request_changes', feedback: 'shorter' },
      by: 'ana',
    });
    expect(h.state.phases.draft).toMatchObject({ status: 'ready', attempt: 2, seriesStart: 2 });
    expect(h.state.phases.draft!.attempts[0]!.feedback).toBe('shorter');
    expect(h.state.phases.draft!.attempts[1]!.feedback).toBe('shorter');
    h.run('draft', text('v2'));
    expect(h.state.phases.draft!.waiting?.version).toBe(2);
  });

  it('records an edit as a new version that counts as approved', () => {
    const h = new Harness(
      workflow(
        phase('draft', { gate: true, output: { type: 'object', required: ['title'] } }),
        phase('next', { needs: ['draft'] }),
      ),
    );
    h.run('draft', json({ title: 'v1' }));
    const bad = h.apply({
      type: 'decide',
      phaseId: 'draft',
      decision: { kind: 'edit', output: json({}) },
      by: 'ana',
    });
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    const good = h.apply({
      type: 'decide',
      phaseId: 'draft',
      decision: { kind: 'edit', output: json({ title: 'v2' }) },
      by: 'ana',
    });
    expect(good.ok && good.commands).toContainEqual(
      expect.objectContaining({ type: 'store_artifact', artifact: expect.objectContaining({ version: 2 }) }),
    );
    expect(h.state.phases.draft!.output?.version).toBe(2);
    expect(h.status('next')).toBe('ready');
  });

  it('refuses to approve a phase that is not waiting, and changes nothing', () => {
    const h = new Harness(workflow(phase('a')));
    const before = h.state;
    const result = h.apply({ type: 'decide', phaseId: 'a', decision: { kind: 'approve' }, by: 'ana' });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_TRANSITION' } });
    expect(h.state).toBe(before);
    expect(h.apply({ type: 'retry', phaseId: 'nope', by: 'ana' })).toMatchObject({
      ok: false,
      error: { code: 'PHASE_NOT_FOUND' },
    });
  });

  it('fails an attempt whose output does not match the output schema, keeping the output', () => {
    const h = new Harness(workflow(phase('a', { output: { type: 'object', required: ['title'] } })));
    h.run('a', text('not json'));
    expect(h.state.phases.a).toMatchObject({ status: 'ready', attempt: 2, error: { code: 'OUTPUT_SCHEMA' } });
    expect(h.state.phases.a!.versions).toHaveLength(1);
  });

  it('waits for a submission on a human phase and validates it', () => {
    const h = new Harness(
      workflow(
        phase('ask', {
          kind: 'human',
          run: undefined,
          timeoutMs: null,
          output: { type: 'object', required: ['ok'] },
        }),
        phase('after', { needs: ['ask'] }),
      ),
    );
    expect(h.status('ask')).toBe('waiting_for_human');
    expect(h.state.phases.ask!.waiting?.source).toBe('human');
    expect(
      h.apply({ type: 'decide', phaseId: 'ask', decision: { kind: 'approve' }, by: 'ana' }),
    ).toMatchObject({ ok: false });
    expect(
      h.apply({ type: 'decide', phaseId: 'ask', decision: { kind: 'submit', output: json({}) }, by: 'ana' }),
    ).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    h.apply({
      type: 'decide',
      phaseId: 'ask',
      decision: { kind: 'submit', output: json({ ok: true }) },
      by: 'ana',
    });
    expect(h.status('ask')).toBe('completed');
    expect(h.status('after')).toBe('ready');
  });

  it('pauses without starting new phases, lets running ones finish, and resumes', () => {
    const h = new Harness(workflow(phase('a'), phase('b', { needs: ['a'] })));
    h.apply({ type: 'claim', phaseId: 'a', attempt: 1 });
    h.apply({ type: 'pause', by: 'ana' });
    expect(h.state.status).toBe('paused');
    const done = h.apply({ type: 'succeed', phaseId: 'a', attempt: 1, output: text('a') });
    expect(done.ok && done.commands.filter((c) => c.type === 'enqueue')).toEqual([]);
    expect(h.status('b')).toBe('ready');
    expect(h.apply({ type: 'claim', phaseId: 'b', attempt: 1 })).toMatchObject({
      ignored: expect.stringMatching(/paused/),
    });
    const resumed = h.apply({ type: 'resume', by: 'ana' });
    expect(resumed.ok && resumed.commands).toContainEqual(
      expect.objectContaining({ type: 'enqueue', phaseId: 'b' }),
    );
    h.run('b');
    expect(h.state.status).toBe('completed');
  });

  it('cancels every unfinished phase and refuses to reopen a cancelled run', () => {
    const h = new Harness(workflow(phase('a'), phase('b', { needs: ['a'] })));
    h.apply({ type: 'claim', phaseId: 'a', attempt: 1 });
    const result = h.apply({ type: 'cancel', by: 'ana' });
    expect(result.ok && result.commands).toContainEqual(
      expect.objectContaining({ type: 'abort', phaseId: 'a' }),
    );
    expect(h.state.status).toBe('cancelled');
    expect(h.apply({ type: 'retry', phaseId: 'a', by: 'ana' })).toMatchObject({ ok: false });
    expect(h.apply({ type: 'pause', by: 'ana' })).toMatchObject({ ok: false });
  });

  it('re-queues an attempt lost in a crash with a new attempt number, and gives up after three losses', () => {
    const h = new Harness(workflow(phase('a')));
    for (let attempt = 1; attempt <= 3; attempt++) {
      h.apply({ type: 'claim', phaseId: 'a', attempt });
      h.apply({ type: 'abandon', phaseId: 'a', attempt, cause: 'lost' });
      expect(h.state.phases.a).toMatchObject({ status: 'ready', attempt: attempt + 1 });
    }
    h.apply({ type: 'claim', phaseId: 'a', attempt: 4 });
    h.apply({ type: 'abandon', phaseId: 'a', attempt: 4, cause: 'lost' });
    expect(h.state.phases.a).toMatchObject({ status: 'failed', error: { code: 'STUCK' } });
  });

  it('does not count an interrupted attempt as a crash', () => {
    const h = new Harness(workflow(phase('a')));
    for (let attempt = 1; attempt <= 5; attempt++) {
      h.apply({ type: 'claim', phaseId: 'a', attempt });
      h.apply({ type: 'abandon', phaseId: 'a', attempt, cause: 'interrupted' });
    }
    expect(h.state.phases.a).toMatchObject({ status: 'ready', attempt: 6, recoveries: 0 });
  });

  it('reopens a failed run when a person skips the failed phase', () => {
    const h = new Harness(
      workflow(
        phase('a', { retry: { maxAttempts: 1, backoffMs: 0, maxBackoffMs: 0, maxRecoveries: 3 } }),
        phase('b', { needs: ['a'] }),
      ),
    );
    h.apply({ type: 'claim', phaseId: 'a', attempt: 1 });
    h.apply({
      type: 'fail',
      phaseId: 'a',
      attempt: 1,
      error: { code: 'EXIT_CODE', message: 'x' },
      retryable: true,
    });
    expect(h.state.status).toBe('failed');
    h.apply({ type: 'skip', phaseId: 'a', by: 'ana', reason: 'not needed' });
    expect(h.state.status).toBe('running');
    expect(h.status('b')).toBe('ready');
    h.run('b');
    expect(h.state.status).toBe('completed');
  });
});

describe('rewind', () => {
  const chain = () => workflow(phase('a'), phase('b', { needs: ['a'] }), phase('c', { needs: ['b'] }));

  it('reopens a completed run and runs the phase and everything downstream again, keeping old versions', () => {
    const h = new Harness(chain());
    h.run('a');
    h.run('b');
    h.run('c');
    expect(h.state.status).toBe('completed');
    const before = h.log.length;

    const result = h.apply({ type: 'rewind', phaseId: 'b', by: 'ana', reason: 'wrong tone' });
    expect(result.ok).toBe(true);
    expect(h.log.slice(before).map((e) => `${e.type}${'phaseId' in e ? ` ${e.phaseId}` : ''}`)).toEqual([
      'run_reopened',
      'run_rewound b',
      'phase_reset b',
      'phase_reset c',
      'phase_ready b',
    ]);
    expect(result.ok && result.commands).toEqual([
      { type: 'enqueue', phaseId: 'b', attempt: 2, kind: 'tool', runAt: h.now },
    ]);
    expect(h.state.status).toBe('running');
    expect(h.status('a')).toBe('completed');
    expect(h.status('c')).toBe('blocked');
    // The accepted outputs are void; the versions stay readable.
    expect(h.state.phases.b!.output).toBeUndefined();
    expect(h.state.phases.c!.output).toBeUndefined();
    expect(h.state.phases.c!.versions.map((v) => v.version)).toEqual([1]);

    h.run('b', text('b again'));
    h.run('c');
    expect(h.state.status).toBe('completed');
    expect(h.state.phases.b!.versions.map((v) => `${v.version}@${v.attempt}`)).toEqual(['1@1', '2@2']);
    expect(h.state.phases.b!.output?.version).toBe(2);
    expect(h.state.phases.c!.attempt).toBe(2);
  });

  it('aborts running attempts, drops queued ones and ignores their late results', () => {
    const h = new Harness(
      workflow(
        phase('a'),
        phase('b', { needs: ['a'] }),
        phase('c', { needs: ['a'] }),
        phase('d', { needs: ['a'] }),
      ),
    );
    h.run('a');
    h.apply({ type: 'claim', phaseId: 'b', attempt: 1 });
    expect(h.status('b')).toBe('running');
    expect(h.status('c')).toBe('ready');

    const result = h.apply({ type: 'rewind', phaseId: 'a', by: 'ana' });
    expect(result.ok && result.commands.filter((c) => c.type !== 'enqueue')).toEqual([
      { type: 'abort', phaseId: 'b', attempt: 1, reason: 'rewound to "a" by ana' },
      { type: 'dequeue', phaseId: 'c' },
      { type: 'dequeue', phaseId: 'd' },
    ]);
    expect(h.state.phases.b!.attempts.map((a) => a.status)).toEqual(['cancelled']);
    const late = h.apply({ type: 'succeed', phaseId: 'b', attempt: 1, output: text('late') });
    expect(late.ok && late.ignored).toMatch(/not running/);
    expect(h.state.phases.b!.versions).toEqual([]);
    expect(h.status('a')).toBe('ready');
    expect(h.state.phases.a!.attempt).toBe(2);
  });

  it('withdraws a pending gate and voids an approval downstream', () => {
    const h = new Harness(workflow(phase('draft'), phase('review', { needs: ['draft'], gate: true })));
    h.run('draft');
    h.run('review');
    expect(h.status('review')).toBe('waiting_for_human');
    expect(h.state.status).toBe('waiting');

    expect(h.apply({ type: 'rewind', phaseId: 'draft', by: 'ana' }).ok).toBe(true);
    expect(h.status('review')).toBe('blocked');
    expect(h.state.phases.review!.waiting).toBeUndefined();
    expect(h.apply({ type: 'decide', phaseId: 'review', decision: { kind: 'approve' }, by: 'bo' }).ok).toBe(
      false,
    );
  });

  it('merges changed run inputs after checking them against the inputs schema', () => {
    const wf = {
      ...chain(),
      inputs: {
        type: 'object',
        required: ['brief'],
        properties: { brief: { type: 'string' }, pages: { type: 'integer' } },
      },
    };
    const h = new Harness(wf, { brief: 'v1', pages: 2 });
    h.run('a');
    const before = h.log.length;
    const bad = h.apply({ type: 'rewind', phaseId: 'a', by: 'ana', inputs: { pages: 'many' } });
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.error.code).toBe('INVALID_INPUT');
      expect(bad.error.message).toMatch(/pages/);
    }
    expect(h.log.length).toBe(before);

    expect(h.apply({ type: 'rewind', phaseId: 'a', by: 'ana', inputs: { brief: 'v2' } }).ok).toBe(true);
    expect(h.state.inputs).toEqual({ brief: 'v2', pages: 2 });
    const rewound = h.log.find((e) => e.type === 'run_rewound');
    expect(rewound).toMatchObject({ phaseId: 'a', by: 'ana', inputs: { brief: 'v2' } });
  });

  it('refuses a phase that never ran and a cancelled run, changing nothing', () => {
    const h = new Harness(chain());
    const never = h.apply({ type: 'rewind', phaseId: 'c', by: 'ana' });
    expect(!never.ok && never.error.message).toMatch(/has not run yet/);
    h.apply({ type: 'cancel', by: 'ana' });
    const cancelled = h.apply({ type: 'rewind', phaseId: 'a', by: 'ana' });
    expect(!cancelled.ok && cancelled.error.code).toBe('INVALID_TRANSITION');
  });

  it('reopens a failed run, lifting fail-fast cancellations, and leaves unrelated failures failed', () => {
    const h = new Harness(
      workflow(
        phase('a'),
        phase('b', {
          needs: ['a'],
          onFailure: 'fail-fast',
          retry: { maxAttempts: 1, backoffMs: 0, maxBackoffMs: 0, maxRecoveries: 3 },
        }),
        phase('c', { needs: ['a'] }),
      ),
    );
    h.run('a');
    h.apply({ type: 'claim', phaseId: 'c', attempt: 1 });
    h.fail('b', { retryable: false });
    expect(h.state.status).toBe('failed');
    expect(h.status('c')).toBe('cancelled');

    expect(h.apply({ type: 'rewind', phaseId: 'b', by: 'ana' }).ok).toBe(true);
    expect(h.state.status).toBe('running');
    expect(h.status('b')).toBe('ready');
    expect(h.status('c')).toBe('ready');
    expect(h.state.phases.c!.attempt).toBe(2);
  });
});

describe('fork', () => {
  /** The fork input a caller builds from a plan: the source's outputs, as the store returns them. */
  function forkOf(source: Harness, from?: string, outputs: Record<string, OutputPayload> = {}) {
    const phases = planFork(source.state, from).map((entry) => ({
      phaseId: entry.phaseId,
      status: entry.status,
      ...(entry.version === undefined ? {} : { sourceVersion: entry.version }),
      ...(entry.status === 'completed'
        ? { output: outputs[entry.phaseId] ?? text(`${entry.phaseId}-out`) }
        : {}),
    }));
    return { runId: source.state.runId, ...(from === undefined ? {} : { from }), phases };
  }

  it('takes over what is upstream of --from with its outputs and runs the rest', () => {
    const wf = workflow(phase('a'), phase('b', { needs: ['a'] }), phase('c', { needs: ['b'] }), phase('d'));
    const source = new Harness(wf);
    for (const id of ['a', 'd', 'b', 'c']) source.run(id);
    expect(planFork(source.state, 'b')).toEqual([
      { phaseId: 'a', status: 'completed', version: 1 },
      { phaseId: 'd', status: 'completed', version: 1 },
    ]);

    const fork = new Harness(wf, {}, forkOf(source, 'b'));
    expect(fork.types()).toEqual(['run_created', 'phase_copied', 'phase_copied', 'phase_ready']);
    expect(fork.state.forkedFrom).toEqual({ runId: 'r1', from: 'b' });
    expect(fork.state.phases.a).toMatchObject({
      status: 'completed',
      attempt: 0,
      copiedFrom: { runId: 'r1', version: 1 },
      output: { version: 1, attempt: 0, sha256: text('a-out').sha256 },
    });
    expect(fork.status('b')).toBe('ready');
    expect(fork.status('c')).toBe('blocked');
    fork.run('b');
    fork.run('c');
    expect(fork.state.status).toBe('completed');
  });

  it('without --from takes over every finished phase whose needs it also took, skips included', () => {
    const wf = workflow(
      phase('a'),
      phase('b', {
        needs: ['a'],
        retry: { maxAttempts: 1, backoffMs: 0, maxBackoffMs: 0, maxRecoveries: 3 },
      }),
      phase('c', { needs: ['b'] }),
      phase('s', {
        onFailure: 'skip',
        retry: { maxAttempts: 1, backoffMs: 0, maxBackoffMs: 0, maxRecoveries: 3 },
      }),
      phase('t', { needs: ['s'] }),
    );
    const source = new Harness(wf);
    source.run('a');
    source.fail('b', { retryable: false });
    source.fail('s', { retryable: false });
    source.run('t');
    expect(source.state.status).toBe('failed');
    expect(planFork(source.state).map((e) => `${e.phaseId}:${e.status}`)).toEqual([
      'a:completed',
      's:skipped',
      't:completed',
    ]);
    const fork = new Harness(wf, {}, forkOf(source));
    expect(fork.status('s')).toBe('skipped');
    expect(fork.state.phases.s!.note).toBe('skipped in run r1');
    expect(fork.status('b')).toBe('ready');
    expect(fork.state.phases.b!.attempt).toBe(1);
  });

  it('completes at once when it takes over every phase', () => {
    const wf = workflow(phase('a'), phase('b', { needs: ['a'] }));
    const source = new Harness(wf);
    source.run('a');
    source.run('b');
    const fork = new Harness(wf, {}, forkOf(source));
    expect(fork.state.status).toBe('completed');
  });

  it('refuses a fork that takes over a phase without what it needs, or names an unknown phase', () => {
    const wf = workflow(phase('a'), phase('b', { needs: ['a'] }));
    const create = (fork: Extract<RunInput, { type: 'create' }>['fork']) =>
      step(
        undefined,
        { type: 'create', runId: 'r2', workflow: wf, fixtures: {}, inputs: {}, by: 't', fork },
        0,
      );
    const orphan = create({
      runId: 'r1',
      phases: [{ phaseId: 'b', status: 'completed', output: text('b') }],
    });
    expect(!orphan.ok && orphan.error.message).toMatch(/cannot take over "b" without what it needs \(a\)/);
    const unknown = create({ runId: 'r1', phases: [{ phaseId: 'zz', status: 'skipped' }] });
    expect(!unknown.ok && unknown.error.code).toBe('INVALID_INPUT');
    const source = new Harness(wf);
    expect(() => planFork(source.state, 'bb')).toThrow(/run r1 has no phase "bb"/);
  });
});

describe('review loops', () => {
  const verdict = (v: 'approve' | 'revise' | 'fail', ...messages: string[]) =>
    json({ verdict: v, findings: messages.map((message) => ({ severity: 'blocking', message })) });
  const reviewer = (
    id: string,
    reviews: string,
    needs: string[],
    policy: Partial<NonNullable<PhaseDefinition['review']>> = {},
  ) =>
    phase(id, {
      needs,
      reviews,
      review: { rounds: 3, reReview: true, onRoundsExhausted: 'human', advisory: false, ...policy },
    });
  /** code → test → review (reviews code) → build; docs needs code but is outside the loop. */
  const loop = (
    policy: Partial<NonNullable<PhaseDefinition['review']>> = {},
    codeExtra: Partial<PhaseDefinition> = {},
  ) =>
    workflow(
      phase('code', codeExtra),
      phase('test', { needs: ['code'] }),
      reviewer('review', 'code', ['test'], policy),
      phase('build', { needs: ['review'] }),
      phase('docs', { needs: ['code'] }),
    );
  const events = (h: Harness, from: number) =>
    h.log
      .slice(from)
      .map((e) =>
        `${e.type} ${'phaseId' in e ? e.phaseId : ''}${'attempt' in e ? `#${e.attempt}` : ''}`.trim(),
      );

  it('runs the loop: revise sends the code back with the findings, then approve completes it and lets the rest go', () => {
    const h = new Harness(loop());
    h.run('code');
    expect(h.status('code')).toBe('in_review');
    expect(h.status('test')).toBe('ready');
    expect(h.status('docs')).toBe('blocked'); // outside the loop: waits for the approved code
    h.run('test');
    const before = h.log.length;
    h.run('review', verdict('revise', 'handle empty input'));
    expect(events(h, before)).toEqual([
      'phase_started review#1',
      'phase_output review#1',
      'review_verdict review#1',
      'phase_reset test',
      'phase_reset review',
      'phase_reset code',
      'phase_ready code#2',
    ]);
    const ready = h.log.at(-1) as Extract<RunEvent, { type: 'phase_ready' }>;
    expect(ready.feedback).toBe('Review by "review" (round 1): revise.\n- [blocking] handle empty input');
    expect(ready.review).toEqual({ by: 'review', version: 1 });
    expect(h.state.phases.code!.reviewRound).toBe(1);
    expect(h.state.phases.test!.status).toBe('blocked');

    h.run('code', text('code v2'));
    h.run('test');
    h.run('review', verdict('approve'));
    expect(h.status('review')).toBe('completed');
    expect(h.status('code')).toBe('completed');
    expect(h.state.phases.code!.output?.version).toBe(2);
    expect(h.status('docs')).toBe('ready');
    expect(h.status('build')).toBe('ready');
    h.run('docs');
    h.run('build');
    expect(h.state.status).toBe('completed');
    expect(h.state.phases.code!.attempt).toBe(2);
    expect(h.state.phases.review!.attempt).toBe(2);
  });

  it('asks a person when the rounds are used up; their change request starts a new count', () => {
    const h = new Harness(loop({ rounds: 1 }));
    h.run('code');
    h.run('test');
    h.run('review', verdict('revise', 'a'));
    h.run('code');
    h.run('test');
    h.run('review', verdict('revise', 'b'));
    expect(h.status('review')).toBe('waiting_for_human');
    expect(h.state.phases.review!.waiting?.source).toBe('review');
    expect(h.state.phases.code!.reviewRound).toBe(2);

    expect(
      h.apply({
        type: 'decide',
        phaseId: 'review',
        decision: { kind: 'request_changes', feedback: 'try once more' },
        by: 'ana',
      }).ok,
    ).toBe(true);
    expect(h.status('code')).toBe('ready');
    expect(h.state.phases.code!.reviewRound).toBeUndefined();
    expect(h.state.phases.code!.attempts.at(-1)?.feedback).toBe('try once more');
    h.run('code');
    h.run('test');
    h.run('review', verdict('revise', 'c'));
    expect(h.status('code')).toBe('ready'); // a new count: round 1 of 1 sends it back again
    h.run('code');
    h.run('test');
    h.run('review', verdict('revise', 'd'));
    expect(h.apply({ type: 'decide', phaseId: 'review', decision: { kind: 'approve' }, by: 'ana' }).ok).toBe(
      true,
    );
    expect(h.status('code')).toBe('completed');
    expect(h.status('build')).toBe('ready');
  });

  it('fails the reviewer or goes on when the rounds are used up, as onRoundsExhausted says', () => {
    const failing = new Harness(loop({ rounds: 1, onRoundsExhausted: 'fail' }));
    const going = new Harness(loop({ rounds: 1, onRoundsExhausted: 'continue' }));
    for (const h of [failing, going]) {
      h.run('code');
      h.run('test');
      h.run('review', verdict('revise'));
      h.run('code');
      h.run('test');
      h.run('review', verdict('revise'));
    }
    expect(failing.status('review')).toBe('failed');
    expect(failing.state.phases.review!.error?.code).toBe('REVIEW_ROUNDS_EXHAUSTED');
    expect(failing.status('code')).toBe('in_review');
    expect(going.status('review')).toBe('completed');
    expect(going.status('code')).toBe('completed');
  });

  it('with reReview: false runs one fix round and goes on without reviewing again', () => {
    const h = new Harness(loop({ reReview: false }));
    h.run('code');
    h.run('test');
    h.run('review', verdict('revise', 'rename it'));
    h.run('code');
    h.run('test');
    expect(h.status('review')).toBe('skipped');
    expect(h.status('code')).toBe('completed');
    expect(h.status('build')).toBe('ready');
    expect(h.state.phases.review!.attempt).toBe(1);
  });

  it('an advisory reviewer recommends at the gate and nothing re-runs; the gate holds everything downstream', () => {
    const h = new Harness(
      workflow(
        phase('spec', { gate: true }),
        reviewer('align', 'spec', ['spec'], { advisory: true }),
        phase('plan', { needs: ['spec'] }),
        phase('after', { needs: ['align'] }),
      ),
    );
    h.run('spec');
    expect(h.status('spec')).toBe('in_review');
    expect(h.status('plan')).toBe('blocked');
    h.run('align', verdict('revise', 'scope creep'));
    expect(h.status('align')).toBe('completed');
    expect(h.status('spec')).toBe('waiting_for_human');
    expect(h.state.phases.spec!.waiting).toMatchObject({
      source: 'gate',
      version: 1,
      recommendation: { by: 'align', verdict: 'revise', version: 1 },
    });
    expect(h.state.phases.spec!.attempt).toBe(1);
    expect(h.status('after')).toBe('blocked'); // downstream of the reviewed phase: waits for the gate
    expect(h.apply({ type: 'decide', phaseId: 'spec', decision: { kind: 'approve' }, by: 'ana' }).ok).toBe(
      true,
    );
    expect(h.status('plan')).toBe('ready');
    expect(h.status('after')).toBe('ready');
  });

  it("opens the reviewed phase's gate after the loop; a person's change request runs the loop again", () => {
    const h = new Harness(loop({}, { gate: true }));
    h.run('code');
    h.run('test');
    h.run('review', verdict('approve'));
    expect(h.status('code')).toBe('waiting_for_human');
    expect(h.status('build')).toBe('blocked');
    h.apply({
      type: 'decide',
      phaseId: 'code',
      decision: { kind: 'request_changes', feedback: 'use streams' },
      by: 'ana',
    });
    expect(h.status('code')).toBe('ready');
    expect(h.status('test')).toBe('blocked');
    expect(h.status('review')).toBe('blocked');
    h.run('code');
    h.run('test');
    h.run('review', verdict('approve'));
    h.apply({ type: 'decide', phaseId: 'code', decision: { kind: 'approve' }, by: 'ana' });
    expect(h.status('build')).toBe('ready');
    expect(h.status('docs')).toBe('ready');
  });

  it('reviews a human phase: revise asks the person again with the findings; approve opens its gate, and only then does the rest start', () => {
    const h = new Harness(
      workflow(
        phase('context', { kind: 'human', run: undefined, timeoutMs: null, gate: true }),
        reviewer('check', 'context', ['context'], { rounds: 20 }),
        phase('variant', { needs: ['check'] }),
      ),
    );
    const submit = (value: unknown) =>
      h.apply({
        type: 'decide',
        phaseId: 'context',
        decision: { kind: 'submit', output: json(value) },
        by: 'ana',
      });
    expect(submit({ slot: 'nowhere' }).ok).toBe(true);
    expect(h.status('context')).toBe('in_review');
    expect(h.status('check')).toBe('ready');
    h.run('check', verdict('revise', 'variants.a.slot: no node has the id "nowhere"'));
    expect(h.state.phases.context).toMatchObject({
      status: 'waiting_for_human',
      attempt: 2,
      waiting: { source: 'human' },
      reviewRound: 1,
    });
    expect(h.state.phases.context!.attempts.at(-1)?.feedback).toBe(
      'Review by "check" (round 1): revise.\n- [blocking] variants.a.slot: no node has the id "nowhere"',
    );
    expect(h.status('check')).toBe('blocked');
    expect(h.status('variant')).toBe('blocked');

    expect(submit({ slot: 'cta' }).ok).toBe(true);
    h.run('check', json({ verdict: 'approve', findings: [], versionId: 'V0' }));
    expect(h.status('check')).toBe('completed');
    expect(h.state.phases.context!.waiting).toMatchObject({
      source: 'gate',
      version: 2,
      recommendation: { by: 'check', verdict: 'approve' },
    });
    expect(h.status('variant')).toBe('blocked'); // waits for the person's approval of the context
    expect(h.apply({ type: 'decide', phaseId: 'context', decision: { kind: 'approve' }, by: 'ana' }).ok).toBe(
      true,
    );
    expect(h.status('context')).toBe('completed');
    expect(h.status('variant')).toBe('ready');
  });

  it('fails an attempt whose verdict is unreadable (retried), and a reviewer whose verdict is fail', () => {
    const h = new Harness(loop());
    h.run('code');
    h.run('test');
    h.run('review', text('looks fine to me'));
    expect(h.state.phases.review!.error?.code).toBe('OUTPUT_SCHEMA');
    expect(h.status('review')).toBe('ready');
    h.now += 60_000;
    h.run('review', verdict('fail', 'wrong approach'));
    expect(h.status('review')).toBe('failed');
    expect(h.state.phases.review!.error?.code).toBe('REVIEW_FAILED');
    expect(h.state.status).toBe('failed');
  });
});
