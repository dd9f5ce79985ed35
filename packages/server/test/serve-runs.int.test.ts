/**
 * What `baton serve`'s in-process workers do with what the API records, on the embedded database
 * and on PostgreSQL: a cancel stops a running tool at once (the API tells the workers —
 * `RunDriver.observe` — instead of their next heartbeat), a run deleted while its attempt is still
 * stopping does not stop the workers, and a running phase's `lastActivityAt` follows the worker's
 * heartbeats.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createDefaultHandlers } from '@baton/runtime';
import type { RunEvent } from '@baton/engine';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { describeOnBackends } from '../src/testing/index.js';
import { HELD, SLEEPER } from './runs-workflows.js';
import { alive, killGroup, startServe, waitFor, type ServeHarness } from './serve-harness.js';

/** Longer than any test runs: a lease this long is never renewed (nor lost) while a test runs. */
const TEN_MINUTES = 10 * 60_000;

/** `stubborn`: a tool that ignores SIGTERM and runs until the file `release` exists. */
const STUBBORN = `
id: stubborn
inputs:
  type: object
  required: [pidfile, release]
  properties: { pidfile: { type: string }, release: { type: string } }
phases:
  - id: hold
    kind: tool
    run: |
      trap '' TERM
      echo $$ > "$BATON_INPUT_pidfile"
      while [ ! -e "$BATON_INPUT_release" ]; do sleep 0.05; done
`;

const QUICK = `
id: quick
phases:
  - { id: only, kind: tool, run: echo done }
`;

let dir: string;
const pids: number[] = [];
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'baton-serve-runs-'));
});
afterEach(() => {
  for (const pid of pids.splice(0)) killGroup(pid);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** A fresh file name in the test's directory. */
let files = 0;
const file = (name: string) => path.join(dir, `${name}-${++files}`);

/** The process id the tool wrote to `pidfile`, once it did. */
async function toolPid(pidfile: string): Promise<number> {
  const pid = await waitFor(async () => {
    const text = await readFile(pidfile, 'utf8').catch(() => '');
    return /^\d+\n$/.test(text) ? Number(text) : undefined;
  }, `the tool to write ${pidfile}`);
  pids.push(pid);
  return pid;
}

async function phaseOf(api: ServeHarness, runId: string, phaseId: string) {
  const answer = await api.call('GET', `/api/runs/${runId}`);
  expect(answer.status).toBe(200);
  return answer.body.phases.find((phase) => phase.id === phaseId)!;
}

describeOnBackends('baton serve: the workers and the API', (backend) => {
  describe('with leases that outlast the tests', () => {
    let api: ServeHarness;
    beforeAll(async () => {
      api = await startServe(backend, {
        leaseMs: TEN_MINUTES,
        // A tool that ignores SIGTERM keeps running until the test releases it.
        handlers: createDefaultHandlers([], { killGraceMs: TEN_MINUTES }),
      });
      await api.upload(SLEEPER);
      await api.upload(STUBBORN);
      await api.upload(QUICK);
    });
    afterAll(() => api?.close());

    it('stops the running tool of a cancelled run at once, long before a heartbeat could', async () => {
      const pidfile = file('sleeper');
      const run = await api.start('sleeper', { pidfile });
      const pid = await toolPid(pidfile);
      expect(alive(pid)).toBe(true);
      expect((await phaseOf(api, run.id, 'sleep')).status).toBe('running');

      const cancelled = await api.call('POST', `/api/runs/${run.id}/cancel`, { reason: 'not needed' });
      expect(cancelled.status).toBe(200);
      expect(cancelled.body).toMatchObject({ status: 'cancelled', reason: 'not needed' });
      // The lease is never renewed while this test runs: only the API telling the workers stops it.
      await waitFor(() => (alive(pid) ? undefined : true), `the tool process ${pid} to stop`);
      const phase = await waitFor(async () => {
        const current = await phaseOf(api, run.id, 'sleep');
        return current.status === 'running' ? undefined : current;
      }, 'the phase to stop running');
      expect(phase.status).toBe('cancelled');
      expect(phase).not.toHaveProperty('lastActivityAt');
      expect((await api.call('DELETE', `/api/runs/${run.id}`)).status).toBe(204);
    });

    it('keeps working when a run is deleted while its cancelled attempt is still stopping', async () => {
      const pidfile = file('stubborn');
      const release = file('release');
      const run = await api.start('stubborn', { pidfile, release });
      const pid = await toolPid(pidfile);
      expect((await api.call('POST', `/api/runs/${run.id}/cancel`, {})).body.status).toBe('cancelled');
      // The attempt's task is finished with the cancel: the store lets the run go.
      expect((await api.call('DELETE', `/api/runs/${run.id}`)).status).toBe(204);
      expect(alive(pid)).toBe(true);
      await writeFile(release, '');
      await waitFor(() => (alive(pid) ? undefined : true), `the tool process ${pid} to end`);
      // Its late result has nowhere to go; the workers go on to the next run.
      const next = await api.start('quick');
      const done = await waitFor(async () => {
        const answer = await api.call('GET', `/api/runs/${next.id}`);
        return answer.body.status === 'running' ? undefined : answer.body;
      }, 'the next run to finish');
      expect(done.status).toBe('completed');
    });
  });

  describe('with a short lease', () => {
    let api: ServeHarness;
    beforeAll(async () => {
      // Heartbeats every second (a third of the lease).
      api = await startServe(backend, { leaseMs: 3_000, handlers: createDefaultHandlers() });
      await api.upload(HELD);
    });
    afterAll(() => api?.close());

    it('moves a running phase’s lastActivityAt on with each heartbeat of its worker', async () => {
      const pidfile = file('held');
      const release = file('release');
      const run = await api.start('held', { pidfile, release });
      await toolPid(pidfile);
      const events = (await api.call('GET', `/api/runs/${run.id}/events`)).body as unknown as {
        events: RunEvent[];
      };
      const started = events.events.findLast((event) => event.type === 'phase_started')!;
      const first = await phaseOf(api, run.id, 'hold');
      expect(first.status).toBe('running');
      expect(Date.parse(first.lastActivityAt!)).toBeGreaterThanOrEqual(started.at);

      let seen = Date.parse(first.lastActivityAt!);
      for (let beat = 0; beat < 2; beat++) {
        const later = await waitFor(async () => {
          const phase = await phaseOf(api, run.id, 'hold');
          expect(phase.status).toBe('running');
          const at = Date.parse(phase.lastActivityAt!);
          return at > seen ? at : undefined;
        }, 'lastActivityAt to move on');
        seen = later;
      }
      expect(seen).toBeGreaterThan(started.at);

      await writeFile(release, '');
      const done = await waitFor(async () => {
        const answer = await api.call('GET', `/api/runs/${run.id}`);
        return answer.body.status === 'running' ? undefined : answer.body;
      }, 'the run to finish');
      expect(done.status).toBe('completed');
      expect(done.phases[0]).not.toHaveProperty('lastActivityAt');
    });
  });
});
