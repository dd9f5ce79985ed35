/**
 * The client against the real server with the workflows routes on PGlite, over TCP and over the
 * home's Unix socket.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, listen, workflowRoutes, type Authenticator, type Listener } from '@baton/server';
import { createWorkflowCatalog, migrate, openPgliteDb, type Db } from '@baton/store';
import { ApiClientError } from './api-client-error.js';
import { createClient, type BatonClient } from './client.js';
import { thrown } from './thrown.test-support.js';
import { unixSocketFetch } from './unix-socket-fetch.js';

/** `Bearer ok` and the socket act for the local owner. */
const owner: Authenticator = {
  authenticate: (request) =>
    Promise.resolve(
      request.authorization === 'Bearer ok' || request.socket
        ? {
            tenantId: 'local',
            via: request.socket ? ('socket' as const) : ('token' as const),
            role: 'owner' as const,
            actor: 'me',
          }
        : undefined,
    ),
};

const NOTES = [
  'id: notes',
  'description: Release notes',
  'fixtures: { draft: { output: { title: Notes } } }',
  'phases:',
  '  - { id: draft, kind: agent, agent: scripted }',
  '  - { id: publish, kind: tool, needs: [draft], run: cat "$BATON_INPUTS_DIR/draft" }',
].join('\n');

let db: Db;
let dir: string;
let tcp: Listener;
let socket: Listener;

beforeAll(async () => {
  db = await openPgliteDb();
  await migrate(db);
  const app = createApp({
    log: pino({ level: 'silent' }),
    authenticator: owner,
    ready: () => Promise.resolve(true),
    routes: [workflowRoutes({ catalog: createWorkflowCatalog(db) })],
  });
  dir = await mkdtemp(path.join(tmpdir(), 'bc-'));
  tcp = await listen(app, { port: 0, host: '127.0.0.1' });
  socket = await listen(app, { socketPath: path.join(dir, 'baton.sock') });
});

afterAll(async () => {
  await tcp?.close();
  await socket?.close();
  await db?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the client against the server', () => {
  let client: BatonClient;
  beforeAll(() => {
    client = createClient({ baseUrl: tcp.url, token: 'ok' });
  });

  it('uploads, lists and reads workflows, telling a new version from an equal upload', async () => {
    const first = await client.workflows.upload(NOTES, 'yaml');
    expect(first).toMatchObject({ created: true, workflow: { id: 'notes', version: 1, phaseCount: 2 } });
    expect(first.workflow.graph.edges).toEqual([{ from: 'draft', to: 'publish' }]);
    expect(await client.workflows.upload(NOTES, 'yaml')).toMatchObject({
      created: false,
      workflow: { version: 1 },
    });
    const second = await client.workflows.upload(NOTES.replace('title: Notes', 'title: Other'), 'yaml');
    expect(second).toMatchObject({ created: true, workflow: { version: 2 } });

    const list = await client.workflows.list();
    expect(list.workflows.filter((w) => w.id === 'notes').map((w) => w.version)).toEqual([2]);
    const detail = await client.workflows.get('notes', { version: 1 });
    expect(detail.source).toBe(NOTES);
    expect(detail.definition).toMatchObject({ id: 'notes', version: 1 });
    expect((await client.workflows.get('notes')).version).toBe(2);
  });

  it('uploads JSON', async () => {
    const json = JSON.stringify({ id: 'tiny', phases: [{ id: 'a', kind: 'tool', run: 'true' }] });
    expect(await client.workflows.upload(json, 'json')).toMatchObject({
      created: true,
      workflow: { id: 'tiny' },
    });
  });

  it('throws the refusals as ApiClientErrors with the server’s code and problems', async () => {
    const invalid = await thrown(() =>
      client.workflows.upload('id: bad\nphases:\n  - { id: a, kind: tol }\n', 'yaml'),
    );
    expect(invalid).toBeInstanceOf(ApiClientError);
    expect(invalid).toMatchObject({
      status: 422,
      code: 'INVALID_WORKFLOW',
      problems: [{ path: 'phases[0].kind', hint: 'did you mean "tool"?' }],
    });
    expect(await thrown(() => client.workflows.get('missing'))).toMatchObject({
      status: 404,
      code: 'WORKFLOW_NOT_FOUND',
    });
    expect(await thrown(() => createClient({ baseUrl: tcp.url }).workflows.list())).toMatchObject({
      status: 401,
      code: 'UNAUTHENTICATED',
    });
  });

  it('answers health, readiness and environments', async () => {
    expect(await client.health()).toEqual({ status: 'ok' });
    expect(await client.ready()).toEqual({ status: 'ready' });
    expect((await client.environments.list()).environments[0]?.id).toBe('host');
  });
});

describe('the client over the Unix socket', () => {
  it('works without a token: the socket is the credential', async () => {
    const client = createClient({ baseUrl: 'http://localhost', fetch: unixSocketFetch(socket.url) });
    const uploaded = await client.workflows.upload(NOTES.replace('id: notes', 'id: over-socket'), 'yaml');
    expect(uploaded).toMatchObject({ created: true, workflow: { id: 'over-socket', createdBy: 'me' } });
    expect((await client.workflows.get('over-socket')).source).toContain('id: over-socket');
    expect(await thrown(() => client.workflows.upload('id: [', 'yaml'))).toMatchObject({
      code: 'INVALID_WORKFLOW',
    });
  });
});
