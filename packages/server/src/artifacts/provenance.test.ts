import type { RunEvent } from '@baton/engine';
import { describe, expect, it } from 'vitest';
import { versionProvenance } from './provenance.js';

const ref = (version: number, attempt: number) => ({
  version,
  attempt,
  mediaType: 'text/plain',
  size: 1,
  sha256: 'x',
});
let seq = 0;
const event = (body: Record<string, unknown>) => ({ seq: ++seq, at: 0, ...body }) as unknown as RunEvent;

describe('where each version came from', () => {
  it('tells attempts, a person’s edit and submission (by whom) and a fork’s copy apart, for one phase only', () => {
    const events = [
      event({
        type: 'phase_copied',
        phaseId: 'a',
        fromRunId: 'src',
        status: 'completed',
        sourceVersion: 4,
        artifact: ref(1, 0),
      }),
      event({ type: 'phase_output', phaseId: 'a', attempt: 1, artifact: ref(2, 1), source: 'attempt' }),
      event({ type: 'human_decision', phaseId: 'a', attempt: 1, decision: 'edit', by: 'ana' }),
      event({ type: 'phase_output', phaseId: 'a', attempt: 1, artifact: ref(3, 1), source: 'edit' }),
      event({ type: 'human_decision', phaseId: 'b', attempt: 1, decision: 'submit', by: 'bob' }),
      event({ type: 'phase_output', phaseId: 'b', attempt: 1, artifact: ref(1, 1), source: 'submission' }),
      event({ type: 'human_decision', phaseId: 'a', attempt: 2, decision: 'submit', by: 'cy' }),
      event({ type: 'phase_output', phaseId: 'a', attempt: 2, artifact: ref(4, 2), source: 'submission' }),
    ];
    expect([...versionProvenance(events, 'a')]).toEqual([
      [1, { source: 'copy', copiedFrom: { runId: 'src', version: 4 } }],
      [2, { source: 'attempt' }],
      [3, { source: 'edit', by: 'ana' }],
      [4, { source: 'submission', by: 'cy' }],
    ]);
    expect([...versionProvenance(events, 'b')]).toEqual([[1, { source: 'submission', by: 'bob' }]]);
  });
});
