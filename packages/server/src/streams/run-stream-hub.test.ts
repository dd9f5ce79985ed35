import { createInMemoryRunStore, testPhase, testWorkflow } from '@baton/engine/testing';
import { afterEach, expect, it } from 'vitest';
import { createRunStreamHub, type RunStreamHub } from './run-stream-hub.js';
import type { RunFollower } from './run-follower.js';

const T0 = 1_700_000_000_000;
let hub: RunStreamHub | undefined;
afterEach(() => hub?.close());

/** Lets queued promise callbacks run. */
const settle = async () => {
  for (let i = 0; i < 5; i += 1) await new Promise((resolve) => setImmediate(resolve));
};

/**
 * A run whose every claim commits one event, in a store that counts reads of the log. `remote`:
 * its notices come without their events, as another process's commits do.
 */
async function countedRun(options: { remote?: boolean } = {}) {
  const base = createInMemoryRunStore();
  const workflow = testWorkflow('w', ...Array.from({ length: 8 }, (_, i) => testPhase(`p${i}`)));
  await base.createRun({ type: 'create', runId: 'r', workflow, fixtures: {}, inputs: {}, by: 'ana' }, T0);
  let now = T0;
  const counter = { reads: 0 };
  const store = {
    ...base,
    listEvents: (...args: Parameters<typeof base.listEvents>) => {
      counter.reads += 1;
      return base.listEvents(...args);
    },
    subscribeEvents: (listener: Parameters<typeof base.subscribeEvents>[0]) =>
      base.subscribeEvents(
        options.remote === true ? ({ events: _events, ...notice }) => listener(notice) : listener,
      ),
  };
  return { store, base, counter, commit: () => base.claim({ runId: 'r', limit: 1, now: (now += 1) }) };
}

function follow(h: RunStreamHub, store: Parameters<RunStreamHub['follow']>[0]['store'], tenantId = 'local') {
  const frames: string[] = [];
  const follower = h.follow({
    tenantId,
    runId: 'r',
    store,
    sink: { write: (frame) => (frames.push(frame), Promise.resolve()) },
    onClose: () => undefined,
  });
  return { follower, frames };
}

/** The seqs of the durable frames (live ones have no id). */
const ids = (frames: string[]) =>
  frames.flatMap((frame) =>
    // A write may carry several frames (a follower writes what waits together).
    [...frame.matchAll(/^id: (\d+)$/gm)].map((match) => Number(match[1])),
  );

/**
 * Ten followers of a run at its head; after the first commit (which starts the tail), five more:
 * the reads of the log they cost, and that each follower got the whole log once.
 */
async function tenFollowersFiveCommits(remote: boolean): Promise<number> {
  const { store, base, counter, commit } = await countedRun({ remote });
  hub = await createRunStreamHub({ store, pollMs: 60_000, keepaliveMs: 60_000 });
  const clients: { follower: RunFollower; frames: string[] }[] = [];
  for (let i = 0; i < 10; i += 1) clients.push(follow(hub, store));
  for (const { follower } of clients) follower.start(0);
  await settle();
  await commit();
  await settle();
  counter.reads = 0;
  for (let i = 0; i < 5; i += 1) {
    await commit();
    await settle();
  }
  const log = (await base.listEvents('r')).map((e) => e.seq);
  for (const { frames } of clients) expect(ids(frames)).toEqual(log);
  return counter.reads;
}

it("takes this process's commits from their notices, reading nothing, and each follower gets every event once", async () => {
  expect(await tenFollowersFiveCommits(false)).toBe(0);
});

it("reads the log once per commit for all the followers of a run at its head when notices come without events (another process's commits)", async () => {
  expect(await tenFollowersFiveCommits(true)).toBe(5);
});

it('lets a follower that joins behind the tail read the store until it reaches it, then share it', async () => {
  const { store, base, counter, commit } = await countedRun({ remote: true });
  hub = await createRunStreamHub({ store, pollMs: 60_000, keepaliveMs: 60_000, tailSize: 2, pageSize: 2 });
  const ahead = follow(hub, store);
  ahead.follower.start((await base.getRun('r'))!.seq);
  await commit();
  await commit();
  await settle();
  const late = follow(hub, store);
  late.follower.start(0);
  await settle();
  counter.reads = 0;
  await commit();
  await settle();
  expect(counter.reads).toBe(1);
  const log = (await base.listEvents('r')).map((e) => e.seq);
  expect(ids(late.frames)).toEqual(log);
  expect(ids(ahead.frames)).toEqual(log.slice(-3));
});

it('finds a commit whose notice was missed at the next probe', async () => {
  const { store, base } = await countedRun();
  // A store whose notices never arrive.
  const deaf = { ...store, subscribeEvents: () => Promise.resolve(() => Promise.resolve()) };
  hub = await createRunStreamHub({ store: deaf, pollMs: 20, keepaliveMs: 60_000 });
  const client = follow(hub, deaf);
  client.follower.start(0);
  await base.claim({ runId: 'r', limit: 1, now: T0 + 1 });
  const log = (await base.listEvents('r')).map((e) => e.seq);
  await expect.poll(() => ids(client.frames)).toEqual(log);
});

it('never shares a run tail with a client of another tenant', async () => {
  const { store, commit } = await countedRun();
  hub = await createRunStreamHub({ store, pollMs: 60_000, keepaliveMs: 60_000 });
  const owner = follow(hub, store);
  owner.follower.start(0);
  const other = follow(hub, store.forTenant('other'), 'other');
  other.follower.start(0);
  await commit();
  await settle();
  expect(owner.frames.length).toBeGreaterThan(0);
  expect(other.frames).toEqual([]);
});
