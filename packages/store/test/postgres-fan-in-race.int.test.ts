/**
 * Two phases finishing at the same moment: two workers (two stores, each with its own
 * pool, standing in for two processes) complete the last two parents of a join, each transaction
 * held at a barrier just before COMMIT and released together. The join must start exactly once
 * every time: the run-row lock (`src/sql/lock-run.ts`) serialises the two transitions, so the
 * second one sees the first parent completed. Without the lock (try it: drop `FOR UPDATE`) both
 * transactions read the run with the other parent still running and append events under the same
 * sequence numbers: the second fails on the events' primary key (were the log not keyed by
 * sequence, neither would make the join ready) — and this test fails in its first round.
 *
 * Skipped without `BATON_TEST_DATABASE_URL` (a failure in CI), like `postgres-run-store.int.test.ts`.
 */
import { randomBytes } from 'node:crypto';
import type { ClaimedTask, RunStore, Transition, WorkflowDefinition } from '@baton/engine';
import { testPhase } from '@baton/engine/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresStore } from '../src/index.js';
import { createTestDatabase, describeOnPostgres, type TestDatabase } from '../src/testing/index.js';

const ROUNDS = 200;
/**
 * How long the first transaction at the barrier waits for the second before going on alone. The
 * second normally arrives, or is seen waiting for the lock, within milliseconds; the bound is long
 * so that a loaded machine (a process descheduled for a while) does not count as "did not meet" —
 * and short enough that a change that breaks the meeting fails in seconds: the rounds stop as soon
 * as more than {@link MAX_TIMEOUTS} went on alone.
 */
const BARRIER_TIMEOUT_MS = 2_000;
const MAX_TIMEOUTS = ROUNDS / 20;
const T0 = 1_700_000_000_000;
const text = { mediaType: 'text/plain', text: 'ok', size: 2, sha256: 'h' };

const joinWorkflow: WorkflowDefinition = {
  id: 'fan-in-race',
  version: 1,
  phases: [testPhase('a'), testPhase('b'), testPhase('join', { needs: ['a', 'b'] })],
};

/** How the first transaction at the barrier was let go. */
type Release = 'together' | 'other-blocked' | 'timeout';

/**
 * Holds the transactions that reach it (while armed) until two have arrived — then both go on at
 * once — or until the other transaction is seen waiting for a lock in `pg_stat_activity` (it can
 * never arrive while the first holds the run's row), or after a timeout.
 */
class Barrier {
  private armed = false;
  private waiting: (() => void) | undefined;
  readonly releases: Release[] = [];

  constructor(private readonly observer: pg.Client) {}

  arm(): void {
    this.armed = true;
    this.waiting = undefined;
  }

  disarm(): void {
    this.armed = false;
  }

  async arrive(): Promise<void> {
    if (!this.armed) return;
    if (this.waiting !== undefined) {
      // The second one: release both together.
      this.releases.push('together');
      const first = this.waiting;
      this.waiting = undefined;
      this.armed = false;
      first();
      return;
    }
    let released = false;
    const arrivedSecond = new Promise<void>((resolve) => {
      this.waiting = () => {
        released = true;
        resolve();
      };
    });
    const deadline = Date.now() + BARRIER_TIMEOUT_MS;
    const watch = (async () => {
      while (!released && Date.now() < deadline) {
        if (await this.otherIsBlocked()) {
          if (!released) this.releases.push('other-blocked');
          return;
        }
        await new Promise((r) => setTimeout(r, 2));
      }
      if (!released) this.releases.push('timeout');
    })();
    await Promise.race([arrivedSecond, watch]);
    released = true;
    this.waiting = undefined;
    this.armed = false;
  }

  private async otherIsBlocked(): Promise<boolean> {
    const result = await this.observer.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event_type = 'Lock'`,
    );
    return (result.rows[0]?.n ?? 0) > 0;
  }
}

function claimedJoin(transition: Transition): ClaimedTask[] {
  return transition.ok ? (transition.claimed ?? []).filter((task) => task.phaseId === 'join') : [];
}

describeOnPostgres('fan-in race on PostgreSQL', (adminUrl) => {
  let database: TestDatabase;
  let observer: pg.Client;
  let barrier: Barrier;
  let workers: RunStore[] = [];

  beforeAll(async () => {
    database = await createTestDatabase(adminUrl, 'baton_race');
    observer = new pg.Client({ connectionString: database.url });
    await observer.connect();
    barrier = new Barrier(observer);
    const hooks = { beforeCommit: () => barrier.arrive() };
    workers = await Promise.all(
      [1, 2].map(() => openPostgresStore({ connectionString: database.url, hooks })),
    );
  });

  afterAll(async () => {
    await Promise.all(workers.map((store) => store.close()));
    await observer?.end();
    await database?.drop();
  });

  describe('fan-in race on PostgreSQL', () => {
    it(
      `starts the join exactly once when its last two parents complete at the same moment, ${ROUNDS} times`,
      { timeout: 300_000 },
      async () => {
        const [one, two] = workers as [RunStore, RunStore];
        for (let round = 0; round < ROUNDS; round++) {
          if (barrier.releases.filter((r) => r === 'timeout').length > MAX_TIMEOUTS) break;
          const runId = `race-${round}-${randomBytes(3).toString('hex')}`;
          const created = await one.createRun(
            { type: 'create', runId, workflow: joinWorkflow, fixtures: {}, inputs: {}, by: 'ana' },
            T0,
          );
          expect(created.ok).toBe(true);
          const parents = await one.claim({ runId, limit: 2, now: T0 + 1 });
          const a = parents.find((task) => task.phaseId === 'a')!;
          const b = parents.find((task) => task.phaseId === 'b')!;
          expect([a.phaseId, b.phaseId]).toEqual(['a', 'b']);

          // Each worker completes one parent and, having capacity, claims what it unblocked.
          barrier.arm();
          const [doneA, doneB] = await Promise.all([
            one.apply(runId, { type: 'succeed', phaseId: 'a', attempt: 1, output: text }, T0 + 2, {
              leaseToken: a.lease.token,
              claimNext: { runId, limit: 1 },
            }),
            two.apply(runId, { type: 'succeed', phaseId: 'b', attempt: 1, output: text }, T0 + 2, {
              leaseToken: b.lease.token,
              claimNext: { runId, limit: 1 },
            }),
          ]);
          barrier.disarm();
          expect(doneA.ok && doneB.ok, `round ${round}`).toBe(true);

          const later = await one.claim({ runId, limit: 5, now: T0 + 3 });
          const starts = [...claimedJoin(doneA), ...claimedJoin(doneB), ...later];
          const events = await two.listEvents(runId);
          const joinEvents = events.filter((e) => 'phaseId' in e && e.phaseId === 'join');
          const context = `round ${round}: ${JSON.stringify(joinEvents.map((e) => e.type))}`;
          expect(
            starts.map((task) => `${task.phaseId}#${task.attempt}`),
            context,
          ).toEqual(['join#1']);
          expect(
            joinEvents.map((e) => e.type),
            context,
          ).toEqual(['phase_ready', 'phase_started']);
          expect(
            events.map((e) => e.seq),
            context,
          ).toEqual(events.map((_, i) => i + 1));
        }
        // The two transactions really overlapped: each round, either both reached the barrier or
        // one was seen waiting for the other's lock; a timeout means they did not meet.
        const timeouts = barrier.releases.filter((r) => r === 'timeout').length;
        expect(timeouts, JSON.stringify(barrier.releases)).toBeLessThanOrEqual(MAX_TIMEOUTS);
      },
    );
  });
});
