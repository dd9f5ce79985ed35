import type {
  Clock,
  PhaseDefinition,
  PhaseFailureCode,
  PhaseHandler,
  PhaseKind,
  PhaseResult,
  PhaseTask,
  RunEvent,
  RunStore,
  WorkflowDefinition,
} from '@baton/engine';
import { createInMemoryRunStore, testPhase, testWorkflow } from '@baton/engine/testing';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createToolHandler } from './handlers/tool-handler.js';
import { createOutputPayload } from './output-payload.js';
import { createHandlerRegistry } from './phase-handlers.js';
import { abortedResult } from './phase-results.js';
import { RunDriver } from './run-driver.js';
import { systemClock } from './system-clock.js';

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/** A tool phase retried up to 3 times with a 10 ms backoff unless `overrides` say otherwise. */
function phase(id: string, overrides: Partial<PhaseDefinition> = {}): PhaseDefinition {
  return testPhase(id, {
    run: 'true',
    retry: { maxAttempts: 3, backoffMs: 10, maxBackoffMs: 100, maxRecoveries: 3 },
    ...overrides,
  });
}

function workflow(...phases: PhaseDefinition[]): WorkflowDefinition {
  return testWorkflow('w', ...phases);
}

async function createRun(store: RunStore, runId: string, definition: WorkflowDefinition, now: number) {
  const created = await store.createRun(
    { type: 'create', runId, workflow: definition, fixtures: {}, inputs: {}, by: 'test' },
    now,
  );
  expect(created.ok).toBe(true);
}

/** A clock that never moves: anything that depends on time passing would hang. */
function frozenClock(at = 1_000): Clock {
  return { now: () => at };
}

/**
 * Polls `probe` (on `setImmediate`, so it works under fake timers) until it returns something other
 * than `undefined` or `false`; fails after `timeoutMs` of real time.
 */
async function waitFor<T>(
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** Fake timers whose `Date.now()` (and so {@link systemClock}) moves only when the test advances it. */
function useFakeTime(): void {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
}

/**
 * Under {@link useFakeTime}: advances fake time `stepMs` at a time (letting the driver's promises
 * settle in between) until `probe` holds; fails once `limitMs` of fake time have passed.
 */
async function advanceUntil<T>(
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  { stepMs = 5, limitMs = 10_000 }: { stepMs?: number; limitMs?: number } = {},
): Promise<T> {
  for (let advanced = 0; ; advanced += stepMs) {
    await settle();
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (advanced >= limitMs) throw new Error(`${what} did not happen within ${limitMs} ms of fake time`);
    await vi.advanceTimersByTimeAsync(stepMs);
  }
}

/** Lets pending promises and I/O callbacks run (a few turns of the real event loop). */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i += 1) await new Promise<void>((resolve) => setImmediate(resolve));
}

function eventsOf<T extends RunEvent['type']>(
  events: readonly RunEvent[],
  type: T,
): Extract<RunEvent, { type: T }>[] {
  return events.filter((e): e is Extract<RunEvent, { type: T }> => e.type === type);
}

/** One call of the fake handler's `execute`, completed by hand. */
interface FakeAttempt {
  readonly task: PhaseTask;
  readonly signal: AbortSignal;
  /** `Date.now()` when `execute` was called. */
  readonly calledAt: number;
  readonly settled: boolean;
  succeed(text: string): void;
  fail(code: PhaseFailureCode, retryable: boolean): void;
  /** The handler throws (a bug in the handler). */
  crash(message: string): void;
  settle(result: PhaseResult): void;
}

/** A phase handler whose attempts stay pending until the test completes them. */
function createFakeHandler(kind: PhaseKind = 'tool') {
  const attempts: FakeAttempt[] = [];
  let inFlight = 0;
  let maxInFlight = 0;

  const handler: PhaseHandler = {
    kind,
    execute(task, signal) {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      return new Promise<PhaseResult>((resolve, reject) => {
        let settled = false;
        const finish = (): boolean => {
          if (settled) return false;
          settled = true;
          inFlight -= 1;
          return true;
        };
        const attempt: FakeAttempt = {
          task,
          signal,
          calledAt: Date.now(),
          get settled() {
            return settled;
          },
          settle(result) {
            if (finish()) resolve(result);
          },
          succeed(text) {
            attempt.settle({ ok: true, output: createOutputPayload(text) });
          },
          fail(code, retryable) {
            attempt.settle({ ok: false, error: { code, message: `${code} happened` }, retryable });
          },
          crash(message) {
            if (finish()) reject(new Error(message));
          },
        };
        attempts.push(attempt);
      });
    },
  };

  return {
    handler,
    attempts,
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    callsOf(phaseId: string): FakeAttempt[] {
      return attempts.filter((a) => a.task.phaseId === phaseId);
    },
    /** Waits until `execute` was called for attempt `attempt` of `phaseId`. */
    attempt(phaseId: string, attempt: number): Promise<FakeAttempt> {
      return waitFor(
        () => attempts.find((a) => a.task.phaseId === phaseId && a.task.attempt === attempt),
        `attempt ${attempt} of "${phaseId}" to start`,
      );
    },
  };
}

type FakeHandler = ReturnType<typeof createFakeHandler>;

function driverFor(
  store: RunStore,
  fake: FakeHandler | PhaseHandler,
  options: { clock?: Clock; concurrency?: number; leaseMs?: number } = {},
): RunDriver {
  const handler = 'handler' in fake ? fake.handler : fake;
  return new RunDriver({
    store,
    handlers: createHandlerRegistry([handler]),
    clock: options.clock ?? systemClock,
    ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
    ...(options.leaseMs === undefined ? {} : { leaseMs: options.leaseMs }),
  });
}

afterEach(() => {
  vi.useRealTimers();
});

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

describe('RunDriver', () => {
  it('starts dependents as soon as their parent result is committed, without waiting for any timer', async () => {
    // Timers are frozen and the clock never moves: a driver that polled on an interval would hang.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    const store = createInMemoryRunStore();
    const clock = frozenClock();
    await createRun(
      store,
      'r1',
      // No timeouts: an attempt's deadline would be a (legitimate) timer.
      workflow(
        phase('parent', { timeoutMs: null }),
        phase('left', { needs: ['parent'], timeoutMs: null }),
        phase('right', { needs: ['parent'], timeoutMs: null }),
      ),
      clock.now(),
    );
    const fake = createFakeHandler();
    const outcome = driverFor(store, fake, { clock }).drive('r1');

    const parent = await fake.attempt('parent', 1);
    expect(fake.callsOf('left')).toHaveLength(0);
    parent.succeed('from the parent');

    const left = await fake.attempt('left', 1);
    const right = await fake.attempt('right', 1);
    expect(left.task.upstream).toEqual([
      { phaseId: 'parent', mediaType: 'text/plain', content: 'from the parent' },
    ]);
    left.succeed('left');
    right.succeed('right');

    const { state, stopped } = await outcome;
    expect(stopped).toBe('idle');
    expect(state.status).toBe('completed');
  });

  it('never runs more attempts at once than its concurrency, and runs them all', async () => {
    const store = createInMemoryRunStore();
    const clock = frozenClock();
    const fanOut = Array.from({ length: 10 }, (_, i) => phase(`leaf${i}`, { needs: ['root'] }));
    await createRun(store, 'r1', workflow(phase('root'), ...fanOut), clock.now());
    const fake = createFakeHandler();
    const outcome = driverFor(store, fake, { clock, concurrency: 3 }).drive('r1');

    (await fake.attempt('root', 1)).succeed('root');
    for (let done = 0; done < 10; done += 1) {
      const expectedStarted = 1 + Math.min(10, done + 3);
      await waitFor(() => fake.attempts.length === expectedStarted, `${expectedStarted} attempts to start`);
      expect(fake.inFlight).toBe(Math.min(3, 10 - done));
      const oldest = fake.attempts.find((a) => !a.settled);
      oldest?.succeed(`leaf output ${done}`);
    }

    const { state } = await outcome;
    expect(fake.maxInFlight).toBe(3);
    expect(fake.attempts).toHaveLength(11);
    expect(state.status).toBe('completed');
    expect(fanOut.every((p) => state.phases[p.id]?.status === 'completed')).toBe(true);
  });

  it('waits for the backoff before it runs the next attempt of a failed phase', async () => {
    // Fake time: the clock moves only when the test advances it, so "not before the backoff" and
    // "without polling" are exact, whatever the machine's load.
    useFakeTime();
    const memory = createInMemoryRunStore();
    let claims = 0;
    const store: RunStore = {
      ...memory,
      claim: (options) => {
        claims += 1;
        return memory.claim(options);
      },
    };
    await createRun(
      store,
      'r1',
      workflow(
        phase('flaky', { retry: { maxAttempts: 3, backoffMs: 40, maxBackoffMs: 40, maxRecoveries: 3 } }),
      ),
      Date.now(),
    );
    const fake = createFakeHandler();
    const outcome = driverFor(store, fake).drive('r1');

    const first = await advanceUntil(() => fake.callsOf('flaky')[0], 'attempt 1 to start');
    first.fail('EXIT_CODE', true);
    const events = await advanceUntil(async () => {
      const all = await store.listEvents('r1');
      return eventsOf(all, 'phase_ready').some((e) => e.attempt === 2) && all;
    }, 'attempt 2 to be scheduled');
    const ready = eventsOf(events, 'phase_ready').find((e) => e.attempt === 2);
    const failed = eventsOf(events, 'phase_failed').find((e) => e.attempt === 1);
    expect(ready?.notBefore).toBeDefined();
    expect(failed?.retryAt).toBe(ready?.notBefore);
    const notBefore = ready?.notBefore ?? Number.POSITIVE_INFINITY;
    expect(notBefore - (failed?.at ?? 0)).toBeGreaterThanOrEqual(20);

    // Until the retry is due nothing starts, and the driver sleeps instead of polling the queue.
    const claimsWhileWaiting = claims;
    await vi.advanceTimersByTimeAsync(notBefore - 1 - Date.now());
    await settle();
    expect(fake.callsOf('flaky')).toHaveLength(1);
    expect(claims).toBe(claimsWhileWaiting);

    const second = await advanceUntil(() => fake.callsOf('flaky')[1], 'attempt 2 to start', { stepMs: 1 });
    const started = eventsOf(await store.listEvents('r1'), 'phase_started').find((e) => e.attempt === 2);
    expect(second.calledAt).toBeGreaterThanOrEqual(notBefore);
    expect(started?.at).toBeGreaterThanOrEqual(notBefore);
    expect(claims).toBeLessThan(10);

    second.succeed('second time lucky');
    const { state } = await outcome;
    expect(state.status).toBe('completed');
    expect(state.phases.flaky?.attempt).toBe(2);
  });

  it('stops at a gate with the run waiting, and finishes it after the gate is approved', async () => {
    const store = createInMemoryRunStore();
    const clock = frozenClock();
    await createRun(
      store,
      'r1',
      workflow(
        phase('draft', { gate: true }),
        phase('optional', {
          onFailure: 'skip',
          retry: { maxAttempts: 1, backoffMs: 10, maxBackoffMs: 10, maxRecoveries: 3 },
        }),
        phase('publish', { needs: ['draft', 'optional'] }),
      ),
      clock.now(),
    );
    const fake = createFakeHandler();
    const driver = driverFor(store, fake, { clock });

    const first = driver.drive('r1');
    (await fake.attempt('optional', 1)).fail('EXIT_CODE', false);
    (await fake.attempt('draft', 1)).succeed('the draft');
    const atGate = await first;
    expect(atGate.stopped).toBe('idle');
    expect(atGate.state.status).toBe('waiting');
    expect(atGate.state.phases.draft?.status).toBe('waiting_for_human');
    expect(atGate.state.phases.draft?.waiting?.source).toBe('gate');
    expect(atGate.state.phases.optional?.status).toBe('skipped');
    expect(atGate.state.phases.publish?.status).toBe('blocked');
    expect(fake.callsOf('publish')).toHaveLength(0);

    const approved = await store.apply(
      'r1',
      { type: 'decide', phaseId: 'draft', decision: { kind: 'approve' }, by: 'test' },
      clock.now(),
    );
    expect(approved.ok).toBe(true);
    const second = driver.drive('r1');
    const publish = await fake.attempt('publish', 1);
    expect(publish.task.upstream).toEqual([
      { phaseId: 'draft', mediaType: 'text/plain', content: 'the draft' },
    ]);
    publish.succeed('published');

    const done = await second;
    expect(done.stopped).toBe('idle');
    expect(done.state.status).toBe('completed');
  });

  it('gives a change-requested attempt the earlier attempts and the feedback', async () => {
    const store = createInMemoryRunStore();
    const clock = frozenClock();
    await createRun(store, 'r1', workflow(phase('draft', { gate: true })), clock.now());
    const fake = createFakeHandler();
    const driver = driverFor(store, fake, { clock });

    const first = driver.drive('r1');
    const attempt1 = await fake.attempt('draft', 1);
    expect(attempt1.task.earlier).toEqual([]);
    expect(attempt1.task.feedback).toBeUndefined();
    attempt1.succeed('a long draft');
    expect((await first).state.status).toBe('waiting');

    const decision = { kind: 'request_changes', feedback: 'make it shorter' } as const;
    expect((await store.apply('r1', { type: 'decide', phaseId: 'draft', decision, by: 'test' }, 1)).ok).toBe(
      true,
    );
    const second = driver.drive('r1');
    const attempt2 = await fake.attempt('draft', 2);
    expect(attempt2.task.earlier).toEqual([
      { attempt: 1, output: 'a long draft', feedback: 'make it shorter' },
    ]);
    expect(attempt2.task.feedback).toBe('make it shorter');
    attempt2.succeed('short');
    const waiting = await second;
    expect(waiting.state.status).toBe('waiting');
    expect(waiting.state.phases.draft?.waiting?.version).toBe(2);
  });

  it('fails a phase whose inputs do not match its input schema, without retrying it', async () => {
    const store = createInMemoryRunStore();
    const clock = frozenClock();
    const input = {
      type: 'object',
      required: ['count'],
      properties: {
        count: { type: 'object', required: ['n'], properties: { n: { type: 'number' } } },
      },
    };
    await createRun(
      store,
      'r1',
      workflow(phase('count'), phase('use', { needs: ['count'], input })),
      clock.now(),
    );
    const fake = createFakeHandler();
    const outcome = driverFor(store, fake, { clock }).drive('r1');

    (await fake.attempt('count', 1)).succeed('{"n": "seven"}');

    const { state } = await outcome;
    expect(fake.callsOf('use')).toHaveLength(0);
    expect(state.phases.use?.status).toBe('failed');
    expect(state.phases.use?.error?.code).toBe('INPUT_SCHEMA');
    expect(state.phases.use?.error?.message).toMatch(/input schema/);
    expect(state.phases.use?.attempts).toHaveLength(1);
    expect(state.status).toBe('failed');
  });

  it('records a handler that throws as a failed attempt and retries it', async () => {
    const store = createInMemoryRunStore();
    await createRun(store, 'r1', workflow(phase('a')), Date.now());
    const fake = createFakeHandler();
    const outcome = driverFor(store, fake).drive('r1');

    (await fake.attempt('a', 1)).crash('the handler has a bug');
    (await fake.attempt('a', 2)).succeed('fine now');

    const { state } = await outcome;
    const failed = eventsOf(await store.listEvents('r1'), 'phase_failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({
      attempt: 1,
      error: { code: 'HANDLER_CRASHED', message: 'the handler has a bug' },
    });
    expect(failed[0]?.retryAt).toBeDefined();
    expect(state.phases.a?.attempts.map((a) => a.status)).toEqual(['failed', 'succeeded']);
    expect(state.status).toBe('completed');
  });

  it('fails a phase nobody can run with NO_HANDLER, without retrying it', async () => {
    const store = createInMemoryRunStore();
    const clock = frozenClock();
    await createRun(store, 'r1', workflow(phase('think', { kind: 'agent', agent: 'claude' })), clock.now());
    const { state } = await driverFor(store, createFakeHandler(), { clock }).drive('r1');
    expect(state.phases.think?.error?.code).toBe('NO_HANDLER');
    expect(state.phases.think?.error?.message).toContain('agent "claude"');
    expect(state.phases.think?.attempts).toHaveLength(1);
    expect(state.status).toBe('failed');
  });

  it('aborts running attempts when the run is cancelled, and ignores their late results', async () => {
    const store = createInMemoryRunStore();
    const clock = frozenClock();
    await createRun(store, 'r1', workflow(phase('slow'), phase('next', { needs: ['slow'] })), clock.now());
    const fake = createFakeHandler();
    const driver = driverFor(store, fake, { clock });
    const outcome = driver.drive('r1');

    const slow = await fake.attempt('slow', 1);
    expect(slow.signal.aborted).toBe(false);
    const cancelled = await driver.apply('r1', { type: 'cancel', by: 'test', reason: 'not needed' });
    expect(cancelled.ok).toBe(true);
    expect(slow.signal.aborted).toBe(true);
    // The handler ignores the signal and answers anyway: the answer must not count.
    slow.succeed('too late');

    const { state, stopped } = await outcome;
    expect(stopped).toBe('idle');
    expect(state.status).toBe('cancelled');
    expect(state.phases.slow?.status).toBe('cancelled');
    expect(state.phases.next?.status).toBe('cancelled');
    expect(fake.callsOf('next')).toHaveLength(0);
    const events = await store.listEvents('r1');
    expect(eventsOf(events, 'phase_output')).toHaveLength(0);
    expect(await store.getArtifact('r1', 'slow', 1)).toBeUndefined();
    expect(await store.runningTasks({ runId: 'r1' })).toEqual([]);
  });

  it('returns a refused input from apply without throwing', async () => {
    const store = createInMemoryRunStore();
    const clock = frozenClock();
    await createRun(store, 'r1', workflow(phase('a')), clock.now());
    const driver = driverFor(store, createFakeHandler(), { clock });
    const refused = await driver.apply('r1', {
      type: 'decide',
      phaseId: 'a',
      decision: { kind: 'approve' },
      by: 'test',
    });
    expect(refused.ok).toBe(false);
  });

  it('aborts the running attempts of other phases when a fail-fast phase fails for good', async () => {
    const store = createInMemoryRunStore();
    const clock = frozenClock();
    await createRun(
      store,
      'r1',
      workflow(
        phase('critical', {
          onFailure: 'fail-fast',
          retry: { maxAttempts: 1, backoffMs: 10, maxBackoffMs: 10, maxRecoveries: 3 },
        }),
        phase('sibling'),
      ),
      clock.now(),
    );
    const fake = createFakeHandler();
    const outcome = driverFor(store, fake, { clock }).drive('r1');

    const sibling = await fake.attempt('sibling', 1);
    (await fake.attempt('critical', 1)).fail('EXIT_CODE', true);
    await waitFor(() => sibling.signal.aborted, 'the sibling to be aborted');
    sibling.settle(abortedResult(sibling.signal));

    const { state } = await outcome;
    expect(state.status).toBe('failed');
    expect(state.phases.sibling?.status).toBe('cancelled');
    expect(state.phases.sibling?.cancelledBy).toBe('fail-fast');
  });

  it('records interrupted attempts as interrupted and runs them again on the next drive', async () => {
    const store = createInMemoryRunStore();
    const clock = frozenClock();
    await createRun(
      store,
      'r1',
      workflow(phase('a'), phase('b'), phase('c', { needs: ['a', 'b'] })),
      clock.now(),
    );
    const fake = createFakeHandler();
    const driver = driverFor(store, fake, { clock });
    const first = driver.drive('r1');

    const a1 = await fake.attempt('a', 1);
    const b1 = await fake.attempt('b', 1);
    driver.interrupt();
    expect(a1.signal.aborted).toBe(true);
    expect(b1.signal.aborted).toBe(true);
    a1.settle(abortedResult(a1.signal));
    b1.settle(abortedResult(b1.signal));

    const interrupted = await first;
    expect(interrupted.stopped).toBe('interrupted');
    expect(interrupted.state.status).toBe('running');
    const abandoned = eventsOf(await store.listEvents('r1'), 'phase_failed');
    expect(abandoned.map((e) => [e.phaseId, e.attempt, e.abandoned]).sort()).toEqual([
      ['a', 1, 'interrupted'],
      ['b', 1, 'interrupted'],
    ]);
    expect(interrupted.state.phases.a).toMatchObject({ status: 'ready', attempt: 2, recoveries: 0 });
    expect(fake.callsOf('c')).toHaveLength(0);

    const second = driver.drive('r1');
    (await fake.attempt('a', 2)).succeed('a');
    (await fake.attempt('b', 2)).succeed('b');
    (await fake.attempt('c', 1)).succeed('c');
    const done = await second;
    expect(done.stopped).toBe('idle');
    expect(done.state.status).toBe('completed');
  });

  it('stops an attempt at its deadline and records a TIMEOUT failure, then retries it', async () => {
    const store = createInMemoryRunStore();
    await createRun(store, 'r1', workflow(phase('slow', { timeoutMs: 50 })), Date.now());
    const fake = createFakeHandler();
    const driver = driverFor(store, fake);
    const driving = driver.drive('r1');
    const first = await fake.attempt('slow', 1);
    await waitFor(() => first.signal.aborted, 'the deadline to abort attempt 1');
    first.settle(abortedResult(first.signal));
    const second = await fake.attempt('slow', 2);
    second.succeed('made it');
    const outcome = await driving;
    expect(outcome.state.phases.slow).toMatchObject({ status: 'completed', attempt: 2 });
    const failures = eventsOf(await store.listEvents('r1'), 'phase_failed');
    expect(failures).toMatchObject([
      { attempt: 1, error: { code: 'TIMEOUT', message: 'timed out after 50ms' } },
    ]);
  });

  it('takes over a task whose worker stopped renewing its lease once the lease expires', async () => {
    useFakeTime();
    const store = createInMemoryRunStore();
    await createRun(store, 'r1', workflow(phase('a')), Date.now());
    // Another worker claimed the task with a short lease and died.
    const [dead] = await store.claim({ runId: 'r1', limit: 1, now: Date.now(), leaseMs: 60 });
    const fake = createFakeHandler();
    const outcome = driverFor(store, fake, { leaseMs: 60 }).drive('r1');
    // Not while the lease holds...
    await vi.advanceTimersByTimeAsync(dead!.lease.expiresAt - 1 - Date.now());
    await settle();
    expect(fake.attempts).toEqual([]);
    // ...but once it has expired.
    const rerun = await advanceUntil(() => fake.callsOf('a')[0], 'the task to be taken over');
    expect(rerun.task.attempt).toBe(2);
    rerun.succeed('taken over');
    const { state } = await outcome;
    expect(state.phases.a).toMatchObject({ status: 'completed', attempt: 2, recoveries: 1 });
    // The dead worker's result, under its old lease, is ignored.
    const late = await store.apply(
      'r1',
      { type: 'succeed', phaseId: 'a', attempt: 1, output: createOutputPayload('zombie') },
      Date.now(),
      { leaseToken: dead!.lease.token },
    );
    expect(late).toMatchObject({
      ok: true,
      ignored: 'attempt 1 of "a" already has its result; duplicate ignored',
    });
  });

  it('renews the leases of its running attempts so that nobody takes them over', async () => {
    useFakeTime();
    const memory = createInMemoryRunStore();
    const renewals: number[] = [];
    const store: RunStore = {
      ...memory,
      heartbeat: (leases, now, leaseMs) => {
        renewals.push(now);
        return memory.heartbeat(leases, now, leaseMs);
      },
    };
    await createRun(store, 'r1', workflow(phase('a')), Date.now());
    const fake = createFakeHandler();
    const outcome = driverFor(store, fake, { leaseMs: 60 }).drive('r1');
    const first = await advanceUntil(() => fake.callsOf('a')[0], 'attempt 1 to start');
    const startedAt = Date.now();
    // Four lease lengths of fake time, a few milliseconds at a time.
    await advanceUntil(() => Date.now() - startedAt >= 240 || undefined, '240 ms to pass');
    expect(renewals.length).toBeGreaterThanOrEqual(4);
    expect(await store.recoverExpired(Date.now())).toEqual([]);
    first.succeed('still mine');
    expect((await outcome).state.phases.a).toMatchObject({ status: 'completed', attempt: 1 });
  });

  it('records attempts a previous process left running as lost when it owns the store, and runs them again', async () => {
    const store = createInMemoryRunStore();
    const clock = frozenClock();
    await createRun(store, 'r1', workflow(phase('a')), clock.now());
    // A previous process claimed the task and died.
    const claimed = await store.claim({ runId: 'r1', limit: 1, now: clock.now() });
    expect(claimed.map((t) => t.attempt)).toEqual([1]);

    const fake = createFakeHandler();
    const outcome = driverFor(store, fake, { clock }).drive('r1', { recoverOrphans: true });
    const rerun = await fake.attempt('a', 2);
    expect(fake.callsOf('a')).toHaveLength(1);
    const lost = eventsOf(await store.listEvents('r1'), 'phase_failed');
    expect(lost).toEqual([expect.objectContaining({ phaseId: 'a', attempt: 1, abandoned: 'lost' })]);
    rerun.succeed('second life');

    const { state } = await outcome;
    expect(state.status).toBe('completed');
    expect(state.phases.a?.recoveries).toBe(1);
    expect(state.phases.a?.attempts.map((a) => a.status)).toEqual(['abandoned', 'succeeded']);

    // The dead process's answer, arriving late, is ignored.
    const late = await store.apply(
      'r1',
      { type: 'succeed', phaseId: 'a', attempt: 1, output: createOutputPayload('zombie') },
      clock.now(),
    );
    expect(late).toMatchObject({
      ok: true,
      events: [],
      ignored: 'attempt 1 of "a" is not running (the phase is completed at attempt 2)',
    });
  });

  describe('with the tool handler', () => {
    it('stores the output of a shell command as an artifact dependents read', async () => {
      const store = createInMemoryRunStore();
      await createRun(
        store,
        'r1',
        workflow(
          phase('greet', { run: 'echo hi' }),
          phase('shout', { needs: ['greet'], run: 'tr a-z A-Z < "$BATON_INPUTS_DIR/greet"' }),
        ),
        Date.now(),
      );
      const driver = driverFor(store, createToolHandler());

      const { state } = await driver.drive('r1');
      expect(state.status).toBe('completed');
      const greet = state.phases.greet?.output;
      const shout = state.phases.shout?.output;
      expect(greet).toBeDefined();
      expect((await store.getArtifact('r1', 'greet', greet?.version ?? 0))?.content).toBe('hi\n');
      expect((await store.getArtifact('r1', 'shout', shout?.version ?? 0))?.content).toBe('HI\n');
    });

    it('stops a running command when the run is cancelled', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'baton-run-driver-'));
      try {
        const marker = join(dir, 'started');
        const store = createInMemoryRunStore();
        await createRun(
          store,
          'r1',
          workflow(phase('sleepy', { run: `touch '${marker}' && sleep 30` })),
          Date.now(),
        );
        const driver = driverFor(store, createToolHandler({ killGraceMs: 200 }));
        const outcome = driver.drive('r1');

        await waitFor(() => existsSync(marker), 'the command to start');
        // The command sleeps 30 s: a driver that waited for it would outlast the test's timeout.
        expect((await driver.apply('r1', { type: 'cancel', by: 'test' })).ok).toBe(true);

        const { state } = await outcome;
        expect(state.status).toBe('cancelled');
        expect(state.phases.sleepy?.status).toBe('cancelled');
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  });
});
