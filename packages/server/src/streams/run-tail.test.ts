import { createInMemoryRunStore, testPhase, testWorkflow } from '@baton/engine/testing';
import { expect, it } from 'vitest';
import { RunTail } from './run-tail.js';

const T0 = 1_700_000_000_000;

/** A run of `phases` phases with their created and ready events; each claim commits one more. */
async function run(phases = 6) {
  const store = createInMemoryRunStore();
  const ids = Array.from({ length: phases }, (_, i) => `p${i}`);
  const workflow = testWorkflow('w', ...ids.map((id) => testPhase(id)));
  await store.createRun({ type: 'create', runId: 'r', workflow, fixtures: {}, inputs: {}, by: 'ana' }, T0);
  let now = T0;
  const commit = () => store.claim({ runId: 'r', limit: 1, now: (now += 1) });
  return { store, commit };
}

const seqs = (frames: readonly { seq: number }[] | undefined) => frames?.map((f) => f.seq);

it('serves nobody before it starts, then after its start exactly what a read by seq returns, and nothing past its head', async () => {
  const { store, commit } = await run();
  const tail = new RunTail({
    runId: 'r',
    store,
    pageSize: 2,
    capacity: 100,
    frame: (e) => `${e.seq}:${e.type}`,
  });
  expect(tail.after(0, 10)).toBeUndefined();
  // Started at 2 (its followers' position); the log has 1..n.
  const head = await tail.refresh(2);
  const log = await store.listEvents('r');
  expect(head).toBe(log.at(-1)!.seq);
  expect(tail.after(2, 100)).toEqual(
    log.filter((e) => e.seq > 2).map((e) => ({ seq: e.seq, frame: `${e.seq}:${e.type}` })),
  );
  expect(seqs(tail.after(3, 2))).toEqual([4, 5]);
  // Before its start it cannot say: that follower reads the store.
  expect(tail.after(1, 10)).toBeUndefined();
  // At the head: nothing yet; a commit is there after the next refresh.
  expect(tail.after(head!, 10)).toEqual([]);
  await commit();
  expect(tail.after(head!, 10)).toEqual([]);
  expect(await tail.refresh(0)).toBe(head! + 1);
  expect(seqs(tail.after(head!, 10))).toEqual([head! + 1]);
});

it('reads again when asked during a read, so an event committed meanwhile is read', async () => {
  const { store, commit } = await run();
  let release!: () => void;
  let reads = 0;
  const slow = {
    ...store,
    listEvents: async (...args: Parameters<typeof store.listEvents>) => {
      reads += 1;
      // The first read waits until the test commits during it.
      if (reads === 1) await new Promise<void>((resolve) => (release = resolve));
      return store.listEvents(...args);
    },
  };
  const tail = new RunTail({ runId: 'r', store: slow, pageSize: 100, capacity: 100, frame: String });
  const first = tail.refresh(0);
  await new Promise((resolve) => setImmediate(resolve));
  const before = (await store.listEvents('r')).at(-1)!.seq;
  await commit();
  // Asked during the read: it says the running read reports.
  expect(await tail.refresh(0)).toBeUndefined();
  release();
  expect(await first).toBe(before + 1);
  expect(seqs(tail.after(0, 100))).toEqual(Array.from({ length: before + 1 }, (_, i) => i + 1));
});

it('keeps only its newest frames: a position before them is sent to the store', async () => {
  const { store, commit } = await run();
  const tail = new RunTail({ runId: 'r', store, pageSize: 2, capacity: 3, frame: String });
  await tail.refresh(0);
  await commit();
  await commit();
  const head = await tail.refresh(0);
  expect(seqs(tail.after(head! - 3, 10))).toEqual([head! - 2, head! - 1, head!]);
  expect(tail.after(head! - 4, 10)).toBeUndefined();
});

it('takes offered events that continue it, skips those it has, and refuses a gap or an offer before it starts', async () => {
  const { store, commit } = await run();
  const tail = new RunTail({ runId: 'r', store, pageSize: 100, capacity: 100, frame: String });
  const log = async () => store.listEvents('r');
  expect(tail.offer(await log())).toBe(false);
  const head = (await tail.refresh(0))!;
  await commit();
  await commit();
  const [next, after] = (await log()).slice(head);
  // A gap (the event before it not in yet): refused, the caller reads instead.
  expect(tail.offer([after!])).toBe(false);
  // Overlapping its head and continuing it: the new one taken once.
  expect(tail.offer([...(await log()).slice(head - 1, head), next!])).toBe(true);
  expect(tail.offer([next!, after!])).toBe(true);
  expect(seqs(tail.after(0, 100))).toEqual((await log()).map((e) => e.seq));
});
