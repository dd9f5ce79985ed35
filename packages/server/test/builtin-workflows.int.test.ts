/**
 * The built-in workflows through the API, on a server composed as `baton serve` composes it, on
 * PGlite and on PostgreSQL: listed beside a tenant's uploads (`builtin`, `origin`), served with
 * their fixtures inline, runnable by name, and replaced for one tenant by that tenant's upload of
 * the same id. The built-ins are those of a temporary directory (`builtinsDir`).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeOnBackends } from '../src/testing/index.js';
import { RunsApi } from './runs-harness.js';

/** `notes`: a gated draft by the scripted agent (fixtures in a file beside it) → `publish`. */
const NOTES_WORKFLOW = `# Release notes, offline.
id: notes
version: 3
description: Draft release notes and publish them
fixtures: fixtures.yaml
phases:
  - { id: draft, kind: agent, agent: scripted, gate: true, output: { type: object, required: [title] } }
  - { id: publish, kind: agent, agent: scripted, needs: [draft] }
`;
const NOTES_FIXTURES = 'draft: { output: { title: Built-in notes } }\npublish: { output: published }\n';

/** The same id uploaded by a tenant: one tool phase. */
const OWN_NOTES = `
id: notes
description: Our own notes
phases:
  - { id: write, kind: tool, run: echo ours }
`;

interface Summary {
  readonly id: string;
  readonly version: number;
  readonly builtin: boolean;
  readonly origin: string;
  readonly createdBy: string;
  readonly description?: string;
}

describeOnBackends('built-in workflows through the API', (backend) => {
  let api: RunsApi | undefined;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'baton-builtins-'));
    await mkdir(path.join(dir, 'notes'));
    await writeFile(path.join(dir, 'notes', 'workflow.yaml'), NOTES_WORKFLOW);
    await writeFile(path.join(dir, 'notes', 'fixtures.yaml'), NOTES_FIXTURES);
    api = await RunsApi.start(backend, undefined, { builtinsDir: dir });
  });
  afterAll(async () => {
    await api?.close();
    await rm(dir, { recursive: true, force: true });
  });
  const current = (): RunsApi => {
    if (api === undefined) throw new Error('the server did not start');
    return api;
  };
  const list = async (as: 'local' | 'other'): Promise<Summary[]> => {
    const answer = await current().call('GET', '/api/workflows', undefined, { as });
    expect(answer.status).toBe(200);
    return (answer.body as unknown as { workflows: Summary[] }).workflows;
  };

  it('lists a built-in beside the tenant’s uploads, sorted by id, marked builtin', async () => {
    const workflows = await list('local');
    expect(workflows.map((w) => [w.id, w.origin, w.builtin])).toEqual([
      ['flaky', 'tenant', false],
      ['gated', 'tenant', false],
      ['notes', 'builtin', true],
    ]);
    expect(workflows[2]).toMatchObject({
      version: 3,
      description: 'Draft release notes and publish them',
      createdBy: 'baton',
    });
  });

  it('serves a built-in with its definition and, as its source, the text with its fixtures inline', async () => {
    const answer = await current().call('GET', '/api/workflows/notes');
    expect(answer.status).toBe(200);
    const detail = answer.body as unknown as Summary & {
      source: string;
      definition: { fixtures: string; version: number };
    };
    expect(detail).toMatchObject({ id: 'notes', version: 3, builtin: true, origin: 'builtin' });
    expect(detail.definition).toMatchObject({ fixtures: 'inline:workflow', version: 3 });
    expect(detail.source).toContain('# Release notes, offline.');
    expect(detail.source).toContain('title: Built-in notes');
    expect(detail.source).not.toContain('fixtures.yaml');
    expect((await current().call('GET', '/api/workflows/notes?version=3')).status).toBe(200);
    const other = await current().call('GET', '/api/workflows/notes?version=1');
    await current().expectRefused(other, 404, 'WORKFLOW_NOT_FOUND');
  });

  it('starts a run of a built-in by name, which runs on its fixtures', async () => {
    const run = await current().startRun('notes');
    expect(run).toMatchObject({ workflow: 'notes', status: 'running' });
    const state = await current().drive(run.id);
    expect(state.status).toBe('waiting');
    const view = (await current().call('GET', `/api/runs/${run.id}`)).body;
    const draft = view.phases.find((phase) => phase.id === 'draft');
    expect(draft).toMatchObject({ status: 'waiting_for_human', output: { title: 'Built-in notes' } });
  });

  it('lets a tenant’s upload of the same id take the built-in’s place for that tenant only', async () => {
    await current().uploadWorkflow(OWN_NOTES, 'other');
    const own = (await list('other')).find((w) => w.id === 'notes');
    expect(own).toMatchObject({ version: 1, builtin: false, origin: 'tenant', description: 'Our own notes' });
    const detail = await current().call('GET', '/api/workflows/notes', undefined, { as: 'other' });
    expect(detail.body).toMatchObject({ version: 1, origin: 'tenant' });
    // The built-in's version is not reachable through the tenant's own workflow of that id.
    const hidden = await current().call('GET', '/api/workflows/notes?version=3', undefined, { as: 'other' });
    await current().expectRefused(hidden, 404, 'WORKFLOW_NOT_FOUND');
    const run = await current().startRun('notes', undefined, { as: 'other' });
    expect(run.phases.map((phase) => phase.id)).toEqual(['write']);

    // The other tenant still sees the built-in.
    expect((await list('local')).find((w) => w.id === 'notes')).toMatchObject({ origin: 'builtin' });
  });
});
