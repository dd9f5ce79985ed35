/**
 * The client against `baton serve` as it runs (startServer: the embedded database in a home, local
 * accounts, in-process workers): a method for every route its OpenAPI document lists; a token made over the home's socket, a workflow uploaded with its
 * fixtures inline, a run of it started, decided at its gate and finished by the workers — the
 * scripted agent answering from the inline fixtures.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDefaultHandlers } from '@baton/runtime';
import { startHomeServer, type HomeServer } from '@baton/server/testing';
import { CLIENT_CALLS, NOT_IN_CLIENT } from './api-operations.test-support.js';
import { createClient, type BatonClient } from './client.js';
import type { RunSnapshot } from './types/runs.js';
import { unixSocketFetch } from './unix-socket-fetch.js';

const NOTES = [
  'id: notes',
  'fixtures:',
  '  draft: { output: { title: Release 1.2 } }',
  'phases:',
  '  - { id: draft, kind: agent, agent: scripted, gate: true, output: { type: object, required: [title] } }',
  '  - { id: publish, kind: tool, needs: [draft], run: cat "$BATON_INPUTS_DIR/draft" }',
].join('\n');

/** Reads the run until `done` holds for it (every 25 ms; the workers move it meanwhile). */
async function runUntil(
  client: BatonClient,
  id: string,
  done: (run: RunSnapshot) => boolean,
): Promise<RunSnapshot> {
  for (let polls = 0; polls < 2400; polls++) {
    const run = await client.runs.get(id);
    if (done(run)) return run;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`run ${id} never got there`);
}

describe('the client against baton serve', () => {
  let t: HomeServer;

  beforeAll(async () => {
    t = await startHomeServer({
      workers: true,
      handlers: createDefaultHandlers(),
      // Its workflow has a tool phase and comes over the network.
      allowHostTools: true,
    });
  });

  afterAll(async () => {
    await t?.close();
  });

  it('has a method for every route of the OpenAPI document, and names no route the document lacks', async () => {
    const document = (await (await fetch(`${t.server.url}/api/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const routes = Object.entries(document.paths).flatMap(([route, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${route}`),
    );
    expect(routes.sort()).toEqual([...Object.keys(CLIENT_CALLS), ...Object.keys(NOT_IN_CLIENT)].sort());
  });

  it('uploads a workflow with inline fixtures, runs it to its gate, approves it, and the workers finish it', async () => {
    const local = createClient({ baseUrl: 'http://localhost', fetch: unixSocketFetch(t.server.socket!) });
    expect(await local.auth.me()).toMatchObject({ via: 'socket', role: 'owner', user: null });
    const { token } = await local.tokens.create({ name: 'client test' });
    const client = createClient({ baseUrl: t.server.url, token });
    expect(await client.auth.me()).toMatchObject({ via: 'token', tenant: { id: 'local' } });
    expect((await client.tokens.list()).tokens.map((t) => t.name)).toContain('client test');

    const uploaded = await client.workflows.upload(NOTES, 'yaml', { idempotencyKey: 'upload-notes' });
    expect(uploaded).toMatchObject({ created: true, workflow: { id: 'notes', version: 1 } });
    // The tenant's own upload, beside the built-ins every tenant has.
    const listed = (await client.workflows.list()).workflows;
    expect(listed.filter((w) => !w.builtin).map((w) => w.id)).toEqual(['notes']);
    expect(listed.filter((w) => w.builtin).map((w) => w.id)).toContain('feature');

    const created = await client.runs.create({ workflow: 'notes', title: 'Notes for 1.2' });
    expect(created).toMatchObject({ workflow: 'notes', status: 'running', title: 'Notes for 1.2' });
    const waiting = await runUntil(client, created.id, (run) => run.pendingDecisions.length > 0);
    expect(waiting.pendingDecisions[0]).toMatchObject({ phaseId: 'draft', source: 'gate' });
    expect(waiting.phases.find((p) => p.id === 'draft')?.output).toEqual({ title: 'Release 1.2' });

    await client.runs.decide(created.id, 'draft', { decision: 'approve' }, { idempotencyKey: 'approve-1' });
    const done = await runUntil(
      client,
      created.id,
      (run) => run.status !== 'running' && run.status !== 'waiting',
    );
    expect(done.status).toBe('completed');
    expect(done.phases.find((p) => p.id === 'publish')?.output).toEqual({ title: 'Release 1.2' });
    expect(done.offline).toBeUndefined();

    const page = await client.runs.list({ workflow: 'notes', limit: 10 });
    expect(page.runs.map((r) => ({ id: r.id, title: r.title }))).toEqual([
      { id: created.id, title: 'Notes for 1.2' },
    ]);
    const events = await client.runs.events(created.id);
    expect(events.events[0]).toMatchObject({ type: 'run_created' });
    expect(events.lastEventId).toBe(done.lastEventId);
    const version = await client.runs.outputVersion(created.id, 'draft', 1);
    expect(JSON.parse(version.content)).toEqual({ title: 'Release 1.2' });
  });

  it('follows the tenant stream to a run’s gate, then resumes from its last id and sees the run end', async () => {
    const local = createClient({ baseUrl: 'http://localhost', fetch: unixSocketFetch(t.server.socket!) });
    const client = createClient({
      baseUrl: t.server.url,
      token: (await local.tokens.create({ name: 'dashboard' })).token,
    });
    await client.workflows.upload(NOTES, 'yaml');
    const abort = new AbortController();
    const events = client.events.follow({ signal: abort.signal, retryMs: 50 });
    expect((await events.next()).value).toMatchObject({ type: 'ready', resumed: false });
    const created = await client.runs.create({ workflow: 'notes' });
    let lastId = '';
    for (;;) {
      const { value } = await events.next();
      if (value === undefined) throw new Error('the stream ended');
      lastId = value.id;
      if (value.type === 'run' && value.run.id === created.id && value.run.status === 'waiting') {
        expect(value.run.waitingFor).toEqual(['draft']);
        break;
      }
    }
    abort.abort();
    expect((await events.next()).done).toBe(true);

    // Away while the run is approved and finishes; back with the last id.
    await client.runs.decide(created.id, 'draft', { decision: 'approve' });
    await runUntil(client, created.id, (run) => run.status === 'completed');
    const stream = await client.events.open({ lastEventId: lastId });
    const seen: string[] = [];
    for await (const event of stream) {
      if (event.type === 'ready') expect(event).toMatchObject({ id: lastId, resumed: true });
      if (event.type === 'run' && event.run.id === created.id) {
        seen.push(event.run.status);
        if (event.run.status === 'completed') break;
      }
    }
    stream.close();
    expect(seen.at(-1)).toBe('completed');
    await expect(client.events.open({ lastEventId: 'not-a-cursor' })).rejects.toMatchObject({
      status: 422,
      code: 'INVALID_REQUEST',
    });
  });

  it('follows a run’s stream over the home’s socket to its gate, and after a break resumes with exactly the rest of the log', async () => {
    const local = createClient({ baseUrl: 'http://localhost', fetch: unixSocketFetch(t.server.socket!) });
    await local.workflows.upload(NOTES, 'yaml');
    const created = await local.runs.create({ workflow: 'notes' });
    const seqs: number[] = [];
    let snapshotSeq = -1;
    for await (const frame of local.runs.stream(created.id)) {
      if (frame.kind === 'snapshot') {
        snapshotSeq = frame.seq;
        // The run may have reached its gate before the stream opened.
        if (frame.snapshot.status === 'waiting') break;
      }
      if (frame.kind !== 'event') continue;
      seqs.push(frame.seq);
      if (frame.event.type === 'waiting_for_human') {
        expect(frame.aliases).toEqual(['interrupt', 'waiting_for_human']);
        break;
      }
    }
    expect(snapshotSeq).toBeGreaterThan(0);

    // Away while the run is approved and finishes; back from the last seq taken.
    await local.runs.decide(created.id, 'draft', { decision: 'approve' });
    await runUntil(local, created.id, (run) => run.status === 'completed');
    for await (const frame of local.runs.stream(created.id, { lastEventId: seqs.at(-1) ?? snapshotSeq })) {
      if (frame.kind !== 'event') continue;
      seqs.push(frame.seq);
      if (frame.event.type === 'run_completed') break;
    }
    const log = await local.runs.events(created.id);
    expect(seqs).toEqual(log.events.map((e) => e.seq).filter((seq) => (seq as number) > snapshotSeq));
  });
});
