/**
 * The artifact-listing part of the `RunStore` contract: `listArtifactVersions` answers every
 * stored version of a phase's output, oldest first, as `getArtifact` has it less its content —
 * after a change request, an edit and a rewind — and only within the view's tenant. Called by
 * `runStoreContract` inside its `describe` block, with its store.
 */
import { expect, it } from 'vitest';
import type { RunStore, ScopedRunStore } from '../ports/run-store.js';
import type { RunInput } from '../types.js';
import { expectOk, T0 } from './contract-helpers.js';
import { testPayload as payload, testPhase as phase, testWorkflow as workflow } from './workflow-fixtures.js';

/** What the artifact tests need of the surrounding suite. */
export interface ArtifactsContractContext {
  /** The store of the current test (the system scope). */
  readonly store: () => ScopedRunStore;
  /** A run id (or tenant id) unique to the suite run, ending in `label`. */
  readonly newId: (label: string) => string;
}

/** `draft` (gated) → `publish`. */
const gated = workflow('listing', phase('draft', { gate: true }), phase('publish', { needs: ['draft'] }));

export function runStoreArtifactsContract(ctx: ArtifactsContractContext): void {
  /** Applies `input` to `runId` at `now` and expects it accepted. */
  async function apply(store: RunStore, runId: string, input: RunInput, now: number): Promise<void> {
    expectOk(await store.apply(runId, input, now));
  }

  /** Claims and completes `phaseId`'s current attempt with `text`. */
  async function runAttempt(store: RunStore, runId: string, phaseId: string, text: string, now: number) {
    const [task] = await store.claim({ runId, limit: 1, now });
    expect(task).toMatchObject({ phaseId });
    await apply(
      store,
      runId,
      { type: 'succeed', phaseId, attempt: task!.attempt, output: payload(text) },
      now + 1,
    );
  }

  /**
   * A run of `gated` in `store` whose `draft` has three versions: attempt 1, attempt 2 after a
   * change request, and a person's edit (approved).
   */
  async function threeVersions(store: RunStore, runId: string): Promise<void> {
    expectOk(
      await store.createRun(
        { type: 'create', runId, workflow: gated, fixtures: {}, inputs: {}, by: 'ana' },
        T0,
      ),
    );
    await runAttempt(store, runId, 'draft', 'first', T0 + 10);
    const decide = (decision: Extract<RunInput, { type: 'decide' }>['decision'], now: number) =>
      apply(store, runId, { type: 'decide', phaseId: 'draft', decision, by: 'ana' }, now);
    await decide({ kind: 'request_changes', feedback: 'shorter' }, T0 + 20);
    await runAttempt(store, runId, 'draft', 'second', T0 + 30);
    await decide({ kind: 'edit', output: payload('{"by": "a person"}', 'application/json') }, T0 + 40);
  }

  it('lists every version of a phase oldest first, as getArtifact has each without its content', async () => {
    const store = ctx.store();
    const runId = ctx.newId('versions');
    await threeVersions(store, runId);
    const listed = await store.listArtifactVersions(runId, 'draft');
    expect(listed.map((v) => [v.version, v.attempt, v.mediaType, v.createdAt])).toEqual([
      [1, 1, 'text/plain', T0 + 11],
      [2, 2, 'text/plain', T0 + 31],
      [3, 2, 'application/json', T0 + 40],
    ]);
    for (const version of listed) {
      expect(version).not.toHaveProperty('content');
      const { content: _content, ...stored } = (await store.getArtifact(runId, 'draft', version.version))!;
      expect(version).toEqual(stored);
    }
  });

  it('keeps listing the versions a rewind left behind, then the new ones after them', async () => {
    const store = ctx.store();
    const runId = ctx.newId('rewound');
    await threeVersions(store, runId);
    await runAttempt(store, runId, 'publish', 'published', T0 + 50);
    await apply(store, runId, { type: 'rewind', phaseId: 'draft', by: 'ana' }, T0 + 60);
    expect((await store.listArtifactVersions(runId, 'draft')).map((v) => v.version)).toEqual([1, 2, 3]);
    await runAttempt(store, runId, 'draft', 'third', T0 + 70);
    expect((await store.listArtifactVersions(runId, 'draft')).map((v) => [v.version, v.attempt])).toEqual([
      [1, 1],
      [2, 2],
      [3, 2],
      [4, 3],
    ]);
    expect(await store.listArtifactVersions(runId, 'publish')).toMatchObject([{ version: 1, attempt: 1 }]);
  });

  it('answers no versions for a phase without output, an unknown phase and an unknown run', async () => {
    const store = ctx.store();
    const runId = ctx.newId('none');
    await threeVersions(store, runId);
    expect(await store.listArtifactVersions(runId, 'publish')).toEqual([]);
    expect(await store.listArtifactVersions(runId, 'no-such-phase')).toEqual([]);
    expect(await store.listArtifactVersions(ctx.newId('missing'), 'draft')).toEqual([]);
  });

  it("lists a tenant's versions in its own view and the system scope only, never in another tenant's", async () => {
    const store = ctx.store();
    const [ta, tb] = [ctx.newId('acme'), ctx.newId('bolt')];
    await store.ensureTenant({ id: ta, name: 'Acme' }, T0);
    await store.ensureTenant({ id: tb, name: 'Bolt' }, T0);
    const a = store.forTenant(ta);
    const b = store.forTenant(tb);
    const runA = ctx.newId('run-a');
    await threeVersions(a, runA);
    expect(await a.listArtifactVersions(runA, 'draft')).toHaveLength(3);
    expect(await store.listArtifactVersions(runA, 'draft')).toEqual(
      await a.listArtifactVersions(runA, 'draft'),
    );
    expect(await b.listArtifactVersions(runA, 'draft')).toEqual([]);
    expect(await store.allTenants().listArtifactVersions(runA, 'draft')).toHaveLength(3);
  });
}
