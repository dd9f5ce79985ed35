/**
 * The workflow catalog (`workflows`, migration 0010) on PGlite and on the PostgreSQL server of
 * `BATON_TEST_DATABASE_URL`: versions, equal uploads, tenants kept apart, and concurrent uploads
 * from several pools (processes) of one database.
 */
import type { WorkflowDefinition } from '@baton/engine';
import { testPhase } from '@baton/engine/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createWorkflowCatalog,
  isStoreError,
  migrate,
  openPgliteDb,
  openPostgresDb,
  type Db,
  type NewWorkflowVersion,
} from '../src/index.js';
import { createTestDatabase, describeOnPostgres, type TestDatabase } from '../src/testing/index.js';

const T0 = 1_700_000_000_000;

function upload(id: string, run = 'true', by = 'me'): NewWorkflowVersion {
  const workflow: WorkflowDefinition = { id, version: 1, phases: [testPhase('a', { run })] };
  return {
    workflow,
    fixtures: { 'inline:workflow': { a: { output: run } } },
    source: `id: ${id}`,
    createdBy: by,
  };
}

async function withTenants(db: Db): Promise<Db> {
  await migrate(db);
  await db.query(`INSERT INTO tenants (id, name, created_at) VALUES ('a', 'A', now()), ('b', 'B', now())`);
  return db;
}

function catalogChecks(open: () => Promise<Db>): void {
  let db: Db;
  beforeAll(async () => {
    db = await withTenants(await open());
  });
  afterAll(async () => {
    await db?.close();
  });

  it('stores version 1, then the next version for other content, and answers the latest for equal content', async () => {
    const catalog = createWorkflowCatalog(db, { now: () => T0 });
    const first = await catalog.create('a', upload('wf'));
    expect(first).toEqual({
      created: true,
      workflow: { ...upload('wf'), id: 'wf', version: 1, createdAt: T0 },
    });
    const equal = await catalog.create('a', {
      ...upload('wf'),
      source: 'reformatted',
      workflow: { ...upload('wf').workflow, version: 9 },
    });
    expect(equal).toEqual({ created: false, workflow: first.workflow });
    const second = await catalog.create('a', upload('wf', 'false'));
    expect(second.created).toBe(true);
    expect(second.workflow.version).toBe(2);
    expect(second.workflow.workflow.version).toBe(2);
    expect((await catalog.get('a', 'wf'))?.version).toBe(2);
    expect(await catalog.get('a', 'wf', 1)).toEqual(first.workflow);
    expect(await catalog.get('a', 'wf', 3)).toBeUndefined();
  });

  it('keeps descriptions, and lists the latest version of each workflow by id', async () => {
    const catalog = createWorkflowCatalog(db, { now: () => T0 });
    const described = upload('listed');
    await catalog.create('a', { ...described, workflow: { ...described.workflow, description: 'Listed' } });
    await catalog.create('a', upload('listed', 'echo 2'));
    const listed = (await catalog.list('a')).find((w) => w.id === 'listed');
    expect(listed).toEqual({
      id: 'listed',
      version: 2,
      workflow: { ...upload('listed', 'echo 2').workflow, version: 2 },
      createdAt: T0,
      createdBy: 'me',
    });
    expect((await catalog.get('a', 'listed', 1))?.description).toBe('Listed');
  });

  it('keeps tenants apart: their own numbering, nothing of the other in get or list', async () => {
    const catalog = createWorkflowCatalog(db);
    await catalog.create('a', upload('tenanted'));
    await catalog.create('a', upload('tenanted', 'x'));
    expect(await catalog.get('b', 'tenanted')).toBeUndefined();
    expect((await catalog.list('b')).map((w) => w.id)).not.toContain('tenanted');
    expect((await catalog.create('b', upload('tenanted', 'y', 'other'))).workflow.version).toBe(1);
    expect((await catalog.get('a', 'tenanted'))?.version).toBe(2);
  });

  it('refuses a tenant that does not exist with STORAGE_ERROR', async () => {
    const error: unknown = await createWorkflowCatalog(db)
      .create('nobody', upload('orphan'))
      .catch((e: unknown) => e);
    expect(isStoreError(error, 'STORAGE_ERROR')).toBe(true);
  });
}

describe('workflow catalog on PGlite', () => {
  catalogChecks(() => openPgliteDb());
});

describeOnPostgres('workflow catalog on PostgreSQL', (adminUrl) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(adminUrl);
  });
  afterAll(async () => {
    await database?.drop();
  });

  describe('one pool', () => {
    catalogChecks(() => Promise.resolve(openPostgresDb({ connectionString: database.url })));
  });

  describe('several pools at once', () => {
    let dbs: Db[] = [];
    beforeAll(async () => {
      dbs = [1, 2, 3, 4].map(() => openPostgresDb({ connectionString: database.url }));
      await migrate(dbs[0]!);
      await dbs[0]!.query(`INSERT INTO tenants (id, name, created_at) VALUES ('c', 'C', now())`);
    });
    afterAll(async () => {
      await Promise.all(dbs.map((db) => db.close()));
    });

    it('gives concurrent uploads of other content distinct versions, none lost', async () => {
      const results = await Promise.all(
        dbs.map((db, i) => createWorkflowCatalog(db).create('c', upload('raced', `echo ${i}`))),
      );
      expect(results.every((r) => r.created)).toBe(true);
      expect(results.map((r) => r.workflow.version).sort((a, b) => a - b)).toEqual([1, 2, 3, 4]);
    });

    it('stores concurrent uploads of equal content once: the others answer that version', async () => {
      const results = await Promise.all(
        dbs.map((db) => createWorkflowCatalog(db).create('c', upload('same'))),
      );
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(new Set(results.map((r) => r.workflow.version))).toEqual(new Set([1]));
    });
  });
});
