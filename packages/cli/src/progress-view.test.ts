import { describe, expect, it } from 'vitest';
import { step, type PhaseState, type RunInput, type RunState } from '@baton/engine';
import { testPhase, testWorkflow } from '@baton/engine/testing';
import { describeRetry, ProgressView } from './progress-view.js';

/** A phase whose attempt 1 failed at `failedAt` and whose attempt 2 may start at `notBefore`. */
function backingOff(failedAt: number, notBefore: number | undefined): PhaseState {
  return {
    id: 'flaky',
    status: 'ready',
    attempt: 2,
    seriesStart: 1,
    recoveries: 0,
    ...(notBefore === undefined ? {} : { notBefore }),
    attempts: [
      { attempt: 1, status: 'failed', readyAt: failedAt - 30, startedAt: failedAt - 20, endedAt: failedAt },
      { attempt: 2, status: 'ready', readyAt: failedAt },
    ],
    versions: [],
    updatedAt: failedAt,
  };
}

describe('describeRetry', () => {
  it('in a log, says the delay the retry policy chose, however late the line is printed', () => {
    expect(describeRetry(backingOff(1000, 1100), undefined)).toBe('retrying in 100ms');
  });

  it('on the live view, counts down to the retry', () => {
    expect(describeRetry(backingOff(1000, 1100), 1040)).toBe('retrying in 60ms');
    expect(describeRetry(backingOff(1000, 61_000), 1000)).toBe('retrying in 1m00s');
  });

  it('never says "retrying in 0ms": a retry less than a millisecond away is 1ms away, a due one is now', () => {
    expect(describeRetry(backingOff(1000, 1100), 1099.5)).toBe('retrying in 1ms');
    expect(describeRetry(backingOff(1000, 1100), 1100)).toBe('retrying now');
    expect(describeRetry(backingOff(1000, 1100), 1500)).toBe('retrying now');
  });

  it('says nothing for a phase that is not backing off', () => {
    expect(describeRetry(backingOff(1000, undefined), 1000)).toBe('');
  });
});

/** The lines a log-style view (not a terminal) prints for a run whose one phase failed with `message`. */
/** A run of one phase, `build`, claimed at t=1,000, then `more` applied. */
function buildingRun(...more: RunInput[]): RunState {
  let state: RunState | undefined;
  const inputs: RunInput[] = [
    {
      type: 'create',
      runId: 'r',
      workflow: testWorkflow('wf', testPhase('build')),
      fixtures: {},
      inputs: {},
      by: 't',
    },
    { type: 'claim', phaseId: 'build', attempt: 1 },
    ...more,
  ];
  for (const input of inputs) {
    const result = step(state, input, 1_000);
    if (!result.ok) throw new Error(result.error.message);
    state = result.state;
  }
  return state!;
}

function printedFailure(message: string): string[] {
  const state = buildingRun({
    type: 'fail',
    phaseId: 'build',
    attempt: 1,
    error: { code: 'EXIT_CODE', message },
    retryable: false,
  });
  let out = '';
  const stream = { write: (text: string) => (out += text) } as unknown as NodeJS.WriteStream;
  new ProgressView(stream, { live: false, color: false }).update(state);
  return out.split('\n').filter((line) => line.startsWith('build:'));
}

describe('the progress line of a failed phase', () => {
  it('cuts a long message at a word boundary with an ellipsis', () => {
    const message =
      'exited with code 2: error TS2307: Cannot find module "./exporter" or its corresponding type declarations';
    expect(printedFailure(message)).toEqual([
      'build: failed (attempt 1) — exited with code 2: error TS2307: Cannot find module "./exporter" or its…',
    ]);
  });

  it("shows a tool's colour codes escaped, never raw", () => {
    expect(printedFailure('exited with code 1: \u001b[31mFAIL\u001b[0m')).toEqual([
      'build: failed (attempt 1) — exited with code 1: \\u001b[31mFAIL\\u001b[0m',
    ]);
  });
});

describe('the live line of a running phase', () => {
  /** A run whose one phase runs attempt 1 since t=1,000, on a terminal view at `now()`. */
  function live(now: () => number) {
    const state = buildingRun();
    const writes: string[] = [];
    const stream = { write: (text: string) => (writes.push(text), true), rows: 40, columns: 200 };
    const view = new ProgressView(stream as unknown as NodeJS.WriteStream, { live: true, color: false, now });
    const line = () =>
      writes
        .join('')
        .split('\n')
        .findLast((l) => l.includes(' build ')) ?? '';
    return { view, state, line };
  }

  it('says when a running attempt last showed a sign of life once it has been silent for 30 s', () => {
    let now = 2_000;
    const { view, state, line } = live(() => now);
    view.activity({ runId: 'r', phaseId: 'build', attempt: 1 }, 1_500);
    view.update(state);
    expect(line()).not.toContain('sign of life');
    now = 41_500;
    view.update(state);
    expect(line()).toContain('last sign of life 40.0s ago');
    // A newer heartbeat: alive again.
    view.activity({ runId: 'r', phaseId: 'build', attempt: 1 }, 41_000);
    view.update(state);
    expect(line()).not.toContain('sign of life');
    view.stop();
  });
});
