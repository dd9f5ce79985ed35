import { createInMemoryRunStore, testPhase, testWorkflow } from '@baton/engine/testing';
import { expect, it } from 'vitest';
import { RunFollower, type FrameSink } from './run-follower.js';

const T0 = 1_700_000_000_000;

/** A run with a few events (created, two phases ready). */
async function runWithEvents() {
  const store = createInMemoryRunStore();
  const workflow = testWorkflow('w', testPhase('a'), testPhase('b'));
  await store.createRun({ type: 'create', runId: 'r', workflow, fixtures: {}, inputs: {}, by: 'ana' }, T0);
  await store.claim({ runId: 'r', limit: 2, now: T0 + 1 });
  return { store, seq: (await store.getRun('r'))!.seq };
}

function follower(
  store: RunFollowerStore,
  sink: FrameSink,
  maxBuffered: number,
  onClose: () => void = () => undefined,
) {
  return new RunFollower({
    runId: 'r',
    store,
    sink,
    maxBuffered,
    pageSize: 2,
    onClose,
    frame: (e) => `${e.seq};`,
  });
}
type RunFollowerStore = ConstructorParameters<typeof RunFollower>[0]['store'];

/** Lets queued promise callbacks run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

it('sends every event after its position once, in order, however often it is woken', async () => {
  const { store, seq } = await runWithEvents();
  const written: string[] = [];
  const f = follower(store, { write: (frame) => (written.push(frame), Promise.resolve()) }, 100);
  f.start(1, 'snapshot;');
  for (let i = 0; i < 5; i += 1) f.wake(seq);
  await settle();
  await settle();
  expect(written.join('')).toBe(
    ['snapshot', ...Array.from({ length: seq - 1 }, (_, i) => i + 2)].join(';') + ';',
  );
  expect(f.lastSeq).toBe(seq);
});

it('writes the frames waiting for a client together: one write per wake-up, not one per event', async () => {
  const { store, seq } = await runWithEvents();
  expect(seq).toBeGreaterThan(4);
  const written: string[] = [];
  let release!: () => void;
  // The first write is held: everything read meanwhile waits and goes out in the next write.
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  const f = follower(
    store,
    { write: (frame) => (written.push(frame), written.length === 1 ? held : Promise.resolve()) },
    100,
  );
  f.start(0, 'snapshot;');
  f.wake(seq);
  await settle();
  expect(written).toEqual(['snapshot;']);
  release();
  await settle();
  expect(written).toEqual(['snapshot;', Array.from({ length: seq }, (_, i) => `${i + 1};`).join('')]);
});

it('reads only into the first half of the buffer for a stalled client, keeps the other half for live frames, and closes it when a live frame finds the buffer full', async () => {
  const { store, seq } = await runWithEvents();
  expect(seq).toBeGreaterThan(4);
  let closed = 0;
  // A client that never takes a frame: the first write never resolves.
  const stalled: FrameSink = { write: () => new Promise<void>(() => undefined) };
  const f = follower(store, stalled, 6, () => {
    closed += 1;
  });
  f.start(0);
  await settle();
  // The first page (two frames) in the connection's one write, three buffered (half of six): the
  // rest of the log stays in the store.
  expect(f.lastSeq).toBe(5);
  // A client catching up is not closed because live frames arrive meanwhile: they have the other half.
  for (let i = 0; i < 3; i += 1) f.live('progress');
  expect(f.isClosed).toBe(false);
  f.live('progress');
  expect(f.isClosed).toBe(true);
  expect(closed).toBe(1);
});
