/**
 * The workflows API over real HTTP, on a database `openDb` gives (PGlite or PostgreSQL): uploads
 * in YAML and JSON, versions, every refusal, and tenants kept apart.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadWorkflowFile } from '@baton/runtime';
import type { Db } from '@baton/store';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { HARNESS_MAX_BODY_BYTES, startApiServer, type ApiHarness } from './api-harness.js';

interface ErrorJson {
  readonly error: {
    readonly code: string;
    readonly message: string;
    readonly problems?: { path: string; message: string; hint?: string }[];
  };
}

/** The parts of `GET /api/workflows/:id` the tests read. */
interface Detail {
  readonly version: number;
  readonly source: string;
  readonly definition: { readonly version: number; readonly phases: readonly Record<string, unknown>[] };
}

const YAML = { 'content-type': 'application/yaml' };
const JSON_TYPE = { 'content-type': 'application/json' };

/** A valid workflow with inline fixtures: draft (scripted) → publish (tool). */
function notes(id: string, extra = ''): string {
  return [
    `id: ${id}`,
    'description: Release notes',
    'fixtures:',
    '  draft: { output: { title: Notes } }',
    'phases:',
    '  - { id: draft, kind: agent, agent: scripted, description: Write the notes }',
    `  - { id: publish, kind: tool, needs: [draft], run: cat "$BATON_INPUTS_DIR/draft"${extra} }`,
  ].join('\n');
}

export function workflowsApiSuite(openDb: () => Promise<{ db: Db; dispose(): Promise<void> }>): void {
  let api: ApiHarness;
  let dispose: () => Promise<void>;

  beforeAll(async () => {
    const opened = await openDb();
    dispose = () => opened.dispose();
    api = await startApiServer(opened.db);
  });

  afterAll(async () => {
    await api?.close();
    await dispose?.();
  });

  const upload = (body: string | Uint8Array, headers: Record<string, string> = YAML, tenant?: 'a' | 'b') =>
    api.request('/api/workflows', {
      method: 'POST',
      body,
      headers,
      ...(tenant === undefined ? {} : { tenant }),
    });

  async function refusal(response: Response, status: number, code: string): Promise<ErrorJson['error']> {
    expect(response.status).toBe(status);
    const body = (await response.json()) as ErrorJson;
    expect(body.error.code).toBe(code);
    return body.error;
  }

  it('stores a YAML upload as version 1 and answers its summary with the phase graph', async () => {
    const response = await upload(notes('yaml-one'));
    expect(response.status).toBe(201);
    expect(response.headers.get('location')).toBe('/api/workflows/yaml-one?version=1');
    const summary = (await response.json()) as Record<string, unknown>;
    const { createdAt, ...rest } = summary;
    expect(createdAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(rest).toEqual({
      id: 'yaml-one',
      version: 1,
      description: 'Release notes',
      builtin: false,
      origin: 'tenant',
      phaseCount: 2,
      graph: {
        nodes: [
          { id: 'draft', kind: 'agent', label: 'Write the notes' },
          { id: 'publish', kind: 'tool' },
        ],
        edges: [{ from: 'draft', to: 'publish' }],
      },
      createdBy: 'user-a',
    });

    const list = (await (await api.request('/api/workflows')).json()) as { workflows: unknown[] };
    expect(list.workflows).toContainEqual(summary);

    const detail = (await (await api.request('/api/workflows/yaml-one')).json()) as Detail;
    expect(detail).toMatchObject({ ...summary, source: notes('yaml-one') });
    expect(detail.definition).toMatchObject({ id: 'yaml-one', version: 1, fixtures: 'inline:workflow' });
    expect(detail.definition.phases[0]).toMatchObject({
      id: 'draft',
      fixtures: 'inline:workflow',
      gate: false,
    });

    // What a run of it starts with: the definition and its inline fixtures.
    const stored = await api.catalog.get('a', 'yaml-one');
    expect(stored?.fixtures).toEqual({ 'inline:workflow': { draft: { output: { title: 'Notes' } } } });
  });

  it('takes JSON and the other YAML content types', async () => {
    const json = JSON.stringify({
      id: 'json-one',
      fixtures: { a: { output: 'x' } },
      phases: [{ id: 'a', kind: 'agent', agent: 'scripted' }],
    });
    expect((await upload(json, JSON_TYPE)).status).toBe(201);
    expect((await upload(notes('x-yaml'), { 'content-type': 'application/x-yaml' })).status).toBe(201);
    expect((await upload(notes('text-yaml'), { 'content-type': 'text/yaml; charset=utf-8' })).status).toBe(
      201,
    );
  });

  it('numbers versions: a changed upload is the next version, an equal one answers the latest with 200', async () => {
    expect((await upload(notes('versions'))).status).toBe(201);
    const again = await upload(notes('versions'));
    expect(again.status).toBe(200);
    expect(((await again.json()) as { version: number }).version).toBe(1);
    // The same definition in JSON, with its own version field, is still equal.
    const asJson = JSON.stringify({
      id: 'versions',
      version: 7,
      description: 'Release notes',
      fixtures: { draft: { output: { title: 'Notes' } } },
      phases: [
        { id: 'draft', kind: 'agent', agent: 'scripted', description: 'Write the notes' },
        { id: 'publish', kind: 'tool', needs: ['draft'], run: 'cat "$BATON_INPUTS_DIR/draft"' },
      ],
    });
    expect((await upload(asJson, JSON_TYPE)).status).toBe(200);

    const changed = await upload(notes('versions', ', gate: true'));
    expect(changed.status).toBe(201);
    expect(((await changed.json()) as { version: number }).version).toBe(2);
    // Other fixtures are another version too.
    const refixtured = await upload(
      notes('versions', ', gate: true').replace('title: Notes', 'title: Other'),
    );
    expect(((await refixtured.json()) as { version: number }).version).toBe(3);

    const latest = (await (await api.request('/api/workflows/versions')).json()) as Detail;
    expect(latest.version).toBe(3);
    expect(latest.definition.version).toBe(3);
    const first = (await (await api.request('/api/workflows/versions?version=1')).json()) as Detail;
    expect(first.definition.phases[1]?.gate).toBe(false);
    expect(first.source).toBe(notes('versions'));
    const list = (await (await api.request('/api/workflows')).json()) as {
      workflows: { id: string; version: number }[];
    };
    expect(list.workflows.filter((w) => w.id === 'versions')).toEqual([
      expect.objectContaining({ version: 3 }),
    ]);

    await refusal(await api.request('/api/workflows/versions?version=4'), 404, 'WORKFLOW_NOT_FOUND');
    const bad = await refusal(
      await api.request('/api/workflows/versions?version=first'),
      422,
      'INVALID_REQUEST',
    );
    expect(bad.problems?.[0]?.path).toBe('query.version');
  });

  it('answers 404 WORKFLOW_NOT_FOUND for an unknown id', async () => {
    const error = await refusal(await api.request('/api/workflows/nothing-here'), 404, 'WORKFLOW_NOT_FOUND');
    expect(error.message).toMatch(/GET \/api\/workflows/);
  });

  it('refuses another content type, or none, with 415', async () => {
    await refusal(
      await upload(notes('plain'), { 'content-type': 'text/plain' }),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    );
    await refusal(
      await upload(notes('latin'), { 'content-type': 'application/yaml; charset=latin1' }),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    );
    const none = await api.request('/api/workflows', { method: 'POST', body: new Blob([notes('none')]) });
    await refusal(none, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('refuses malformed YAML and JSON with 422 INVALID_WORKFLOW and the parser’s problem', async () => {
    const yaml = await refusal(await upload('id: x\nphases: [\n  - a: b\n'), 422, 'INVALID_WORKFLOW');
    expect(yaml.problems?.[0]?.path).toMatch(/^workflow\.yaml:\d+:\d+$/);
    const json = await refusal(await upload('{"id": "x", "phases": [}', JSON_TYPE), 422, 'INVALID_WORKFLOW');
    expect(json.problems?.[0]?.path).toMatch(/^workflow\.json/);
    const empty = await refusal(await upload(''), 422, 'INVALID_WORKFLOW');
    expect(empty.problems).toEqual([
      { path: '', message: 'the workflow is empty (it needs at least an id and phases)' },
    ]);
    const binary = await refusal(
      await upload(new Uint8Array([0x69, 0x64, 0x00, 0xff])),
      422,
      'INVALID_WORKFLOW',
    );
    expect(binary.problems?.[0]?.message).toMatch(/not UTF-8 text/);
    const nul = JSON.stringify({
      id: 'nul',
      description: 'a\u0000b',
      phases: [{ id: 'a', kind: 'tool', run: 'x' }],
    });
    const nulError = await refusal(await upload(nul, JSON_TYPE), 422, 'INVALID_WORKFLOW');
    expect(nulError.problems?.[0]?.message).toMatch(/NUL character/);
  });

  it('refuses an invalid definition with exactly the problems baton validate reports, hints included', async () => {
    const text = [
      'id: broken',
      'phases:',
      '  - { id: collect, kind: tool, run: git log, neds: [] }',
      '  - { id: draft, kind: agnt, needs: [colect] }',
      '  - { id: publish, kind: tool, run: cat, onFailure: failfast, retry: { maxAttempts: 0 } }',
    ].join('\n');
    const error = await refusal(await upload(text), 422, 'INVALID_WORKFLOW');
    expect(error.message).toMatch(/^the workflow is invalid: phases\[0\]\.neds: unknown field/);
    const dir = await mkdtemp(path.join(tmpdir(), 'baton-validate-'));
    try {
      await writeFile(path.join(dir, 'broken.yaml'), text);
      const validated = await loadWorkflowFile(path.join(dir, 'broken.yaml'));
      expect(validated.ok).toBe(false);
      expect(error.problems).toEqual(validated.ok ? [] : validated.problems);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    expect(error.problems).toContainEqual({
      path: 'phases[1].needs[0]',
      message: 'unknown phase "colect" (did you mean "collect"?)',
      hint: 'did you mean "collect"?',
    });
    expect(error.problems).toContainEqual({
      path: 'phases[0].neds',
      message: 'unknown field (did you mean "needs"?)',
      hint: 'did you mean "needs"?',
    });
  });

  it('refuses a fixtures path: a workflow sent to the server must be self-contained', async () => {
    const text =
      'id: with-path\nfixtures: ../../etc/fixtures.yaml\nphases:\n  - { id: a, kind: agent, agent: scripted }\n';
    const error = await refusal(await upload(text), 422, 'INVALID_WORKFLOW');
    expect(error.problems).toEqual([
      {
        path: 'fixtures',
        message:
          "a workflow sent to the server must be self-contained: put the fixtures inline under `fixtures:` (a path on the server's disk is not read)",
      },
    ]);
  });

  it('refuses a body over the limit with 413', async () => {
    const big = `${notes('big')}\n# ${'x'.repeat(HARNESS_MAX_BODY_BYTES)}\n`;
    await refusal(await upload(big), 413, 'PAYLOAD_TOO_LARGE');
    await refusal(await api.request('/api/workflows/big'), 404, 'WORKFLOW_NOT_FOUND');
  });

  it("keeps tenants apart: b neither lists nor reads a's workflows, and numbers its own", async () => {
    expect((await upload(notes('shared-id'))).status).toBe(201);
    expect((await upload(notes('shared-id', ', gate: true'))).status).toBe(201);
    const listB = (await (await api.request('/api/workflows', { tenant: 'b' })).json()) as {
      workflows: { id: string }[];
    };
    expect(listB.workflows.map((w) => w.id)).not.toContain('shared-id');
    expect(listB.workflows.map((w) => w.id)).not.toContain('yaml-one');
    await refusal(await api.request('/api/workflows/shared-id', { tenant: 'b' }), 404, 'WORKFLOW_NOT_FOUND');
    await refusal(
      await api.request('/api/workflows/shared-id?version=1', { tenant: 'b' }),
      404,
      'WORKFLOW_NOT_FOUND',
    );

    const own = await upload(notes('shared-id'), YAML, 'b');
    expect(own.status).toBe(201);
    expect(await own.json()).toMatchObject({ version: 1, createdBy: 'user-b' });
    expect(
      ((await (await api.request('/api/workflows/shared-id')).json()) as { version: number }).version,
    ).toBe(2);
    expect(await api.catalog.get('b', 'yaml-one')).toBeUndefined();
  });

  it('refuses every workflows route without credentials', async () => {
    await refusal(await api.request('/api/workflows', { tenant: 'none' }), 401, 'UNAUTHENTICATED');
    await refusal(await api.request('/api/workflows/yaml-one', { tenant: 'none' }), 401, 'UNAUTHENTICATED');
    const anonymous = await api.request('/api/workflows', {
      method: 'POST',
      body: notes('anon'),
      headers: YAML,
      tenant: 'none',
    });
    await refusal(anonymous, 401, 'UNAUTHENTICATED');
  });

  it('describes the routes and both upload content types in the OpenAPI document', async () => {
    const doc = (await (await fetch(`${api.url}/api/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { requestBody?: { content: Record<string, unknown> } }>>;
    };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/workflows', '/api/workflows/{id}']));
    expect(Object.keys(doc.paths['/api/workflows']!.post!.requestBody!.content).sort()).toEqual([
      'application/json',
      'application/x-yaml',
      'application/yaml',
      'text/yaml',
    ]);
  });
}
