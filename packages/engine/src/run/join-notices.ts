/**
 * Joining two run-event notices of one run from one commit (a transaction that appended to the
 * run twice): the later seq, and the events of both when both carry theirs and they follow each
 * other — else none, so a subscriber reads the log (a notice's events are only ever a shortcut).
 */
import type { RunEventsNotice } from '../ports/run-store.js';

export function joinNotices(earlier: RunEventsNotice | undefined, later: RunEventsNotice): RunEventsNotice {
  if (earlier === undefined) return later;
  const { tenantId, runId } = later;
  const lastSeq = Math.max(earlier.lastSeq, later.lastSeq);
  const before = earlier.events;
  const after = later.events;
  const follows =
    before !== undefined &&
    after !== undefined &&
    after.length > 0 &&
    (before.at(-1)?.seq ?? earlier.lastSeq) + 1 === after[0]!.seq;
  return follows ? { tenantId, runId, lastSeq, events: [...before, ...after] } : { tenantId, runId, lastSeq };
}
