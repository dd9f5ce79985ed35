/**
 * The `feature` workflow through the API gives the same run as through the CLI: a `baton serve`
 * on one home takes `POST /api/runs {workflow: "feature"}` and three approvals over HTTP; the
 * CLI runs it on another home with the same brief and the same decisions. Their snapshots are
 * equal once run ids and times are taken out.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  baton,
  PER_COMMAND_MS,
  snapshot,
  startBaton,
  tempHome,
  waitFor,
  type Snapshot,
} from './cli-harness.js';
import { FEATURE_TITLE, OFFLINE_ENV } from './feature-harness.js';

const SETUP_TOKEN = 'feature-api-setup-token-0123456789';
const OWNER = 'owner@example.com';
const BRIEF = 'A to-do list with sign-in: each person keeps a private list of tasks.';
const GATES = ['spec', 'plan', 'tests'] as const;
const REASON = 'reads right';

let api: Awaited<ReturnType<typeof tempHome>>;
let cli: Awaited<ReturnType<typeof tempHome>>;
beforeEach(async () => {
  api = await tempHome();
  cli = await tempHome();
});
afterEach(async () => {
  await api.cleanup();
  await cli.cleanup();
});

/** The owner's API token on a fresh server: setup with the preset token, then POST /api/tokens. */
async function ownerToken(url: string): Promise<string> {
  const setup = await fetch(`${url}/api/auth/setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token: SETUP_TOKEN, email: OWNER, password: 'a long enough password' }),
  });
  expect(setup.status).toBe(201);
  const cookie = (setup.headers.get('set-cookie') ?? '').split(';')[0]!;
  const created = await fetch(`${url}/api/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({ name: 'test' }),
  });
  expect(created.status).toBe(201);
  return ((await created.json()) as { token: string }).token;
}

/**
 * A snapshot made comparable: its run id and the times of its decisions taken out (they differ
 * from run to run), everything else as it is.
 */
function comparable(snap: Snapshot): unknown {
  return JSON.parse(
    JSON.stringify(snap)
      .split(snap.id)
      .join('RUN')
      .replace(/"at":"[^"]*"/g, '"at":"<time>"'),
  ) as unknown;
}

describe('the feature workflow through the API', () => {
  it(
    'gives the same snapshot as the same run through the CLI',
    async () => {
      const server = startBaton(['serve', '--port', '0'], api.dir, {
        ...OFFLINE_ENV,
        BATON_LOG_LEVEL: 'warn',
        BATON_SETUP_TOKEN: SETUP_TOKEN,
      });
      const { url } = await waitFor(
        async () => {
          const text = await readFile(path.join(api.dir, '.baton', 'server.json'), 'utf8').catch(() => '');
          return text === '' ? undefined : (JSON.parse(text) as { url: string });
        },
        { what: 'the server to listen', whileRunning: server },
      );
      const headers = {
        authorization: `Bearer ${await ownerToken(url)}`,
        'content-type': 'application/json',
      };
      const get = async (): Promise<Snapshot> => {
        const response = await fetch(`${url}/api/runs/${id}`, { headers });
        expect(response.status).toBe(200);
        return (await response.json()) as Snapshot;
      };

      const created = await fetch(`${url}/api/runs`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ workflow: 'feature', inputs: { brief: BRIEF } }),
      });
      expect(created.status, await created.clone().text()).toBe(201);
      const id = ((await created.json()) as { id: string }).id;
      for (const gate of GATES) {
        await waitFor(
          async () => (await get()).phases.find((phase) => phase.id === gate)?.status === 'waiting_for_human',
          { what: `the ${gate} gate`, whileRunning: server, timeoutMs: 2 * PER_COMMAND_MS },
        );
        const decided = await fetch(`${url}/api/runs/${id}/phases/${gate}/decision`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ decision: 'approve', reason: REASON }),
        });
        expect(decided.status, await decided.clone().text()).toBe(200);
      }
      const throughApi = await waitFor(
        async () => {
          const snap = await get();
          return snap.status === 'completed' || snap.status === 'failed' ? snap : undefined;
        },
        { what: 'the run to end', whileRunning: server, timeoutMs: 2 * PER_COMMAND_MS },
      );
      expect(throughApi).toMatchObject({ status: 'completed', stage: 'done', title: FEATURE_TITLE });

      // The same run on the command line, deciding as the same person for the same reason.
      const by = ['--by', OWNER, '--json'];
      const started = await baton(
        ['run', 'feature', '--input', `brief=${BRIEF}`, ...by],
        cli.dir,
        OFFLINE_ENV,
      );
      expect(started.code, started.stderr).toBe(3);
      const cliId = snapshot(started).id;
      for (const [index, gate] of GATES.entries()) {
        const approved = await baton(
          ['approve', cliId, gate, '--reason', REASON, ...by],
          cli.dir,
          OFFLINE_ENV,
        );
        expect(approved.code, approved.stderr).toBe(index === GATES.length - 1 ? 0 : 3);
      }
      const shown = await baton(['show', cliId, '--json'], cli.dir, OFFLINE_ENV);
      expect(shown.code, shown.stderr).toBe(0);
      const throughCli = snapshot(shown);

      // The API's snapshot is the CLI's with what only the API shows: who started the run, when,
      // with which inputs, and its position in the event stream.
      const { createdAt, createdBy, updatedAt, inputs, lastEventId, pendingDecisions, ...shared } =
        throughApi as Snapshot & Record<string, unknown>;
      expect({ createdBy, inputs, pendingDecisions }).toEqual({
        createdBy: OWNER,
        inputs: { brief: BRIEF },
        pendingDecisions: [],
      });
      expect([createdAt, updatedAt, lastEventId].every((value) => typeof value === 'string')).toBe(true);
      expect(comparable(shared as Snapshot)).toEqual(comparable(throughCli));
    },
    10 * PER_COMMAND_MS,
  );
});
