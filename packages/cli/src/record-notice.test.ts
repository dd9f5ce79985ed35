import { describe, expect, it } from 'vitest';
import { recordNotice } from './record-notice.js';
import type { RunSnapshot } from '@baton/runtime';

const usage = { calls: 2, inputTokens: 10, outputTokens: 5, cachedTokens: 0, costUsd: 0 };
const run = (extra: Partial<RunSnapshot> = {}): RunSnapshot => ({
  id: 'r',
  workflow: 'wf',
  status: 'completed',
  stage: null,
  phases: [],
  ...extra,
});

describe('recordNotice', () => {
  it('says no cassette was written when every call of a recorded run was scripted', () => {
    expect(recordNotice('record', run({ usage, offline: true }))).toBe(
      'BATON_LLM=record: no model call went to a live provider (all were scripted), so no cassette was written',
    );
  });

  it('says no cassette was written when a recorded run made no model call', () => {
    expect(recordNotice('record', run())).toBe(
      'BATON_LLM=record: the run made no model call, so no cassette was written',
    );
  });

  it('says nothing when a call went to a live provider (it was recorded), or when not recording', () => {
    expect(recordNotice('record', run({ usage }))).toBeUndefined();
    expect(recordNotice('live', run({ usage, offline: true }))).toBeUndefined();
    expect(recordNotice('replay', run())).toBeUndefined();
  });
});
