import { describe, expect, it } from 'vitest';
import { recordingAttemptContext } from '@baton/engine/testing';
import { makePhaseTask } from '../testing/phase-task.js';
import { createMapHandler } from './map-handler.js';

const signal = new AbortController().signal;
const mapPhase = { kind: 'map' as const };

describe('createMapHandler', () => {
  it('hands over the items it maps over unchanged, so the scheduler reads the elements', async () => {
    const content = '[\n  {"id": "a"},\n  "b"\n]\n';
    const result = await createMapHandler().execute(
      makePhaseTask({
        phase: mapPhase,
        map: { stage: 'expand', items: { phaseId: 'plan', mediaType: 'application/json', content } },
      }),
      signal,
      recordingAttemptContext(),
    );
    expect(result).toMatchObject({ ok: true, output: { mediaType: 'application/json', text: content } });
    // Text that is not JSON stays text: the scheduler fails the map with what it got.
    const text = await createMapHandler().execute(
      makePhaseTask({
        phase: mapPhase,
        map: { stage: 'expand', items: { phaseId: 'plan', mediaType: 'text/plain', content: 'a, b' } },
      }),
      signal,
      recordingAttemptContext(),
    );
    expect(text).toMatchObject({ ok: true, output: { mediaType: 'text/plain', text: 'a, b' } });
  });

  it("collects the elements' results in order: JSON parsed, text as a string, a skipped one as null", async () => {
    const result = await createMapHandler().execute(
      makePhaseTask({
        phase: mapPhase,
        map: {
          stage: 'collect',
          parts: [
            { phaseId: 'each[0]', mediaType: 'application/json', content: '{"n": 1}' },
            null,
            { phaseId: 'each[2]', mediaType: 'text/plain', content: 'done\n' },
          ],
        },
      }),
      signal,
      recordingAttemptContext(),
    );
    expect(result.ok && JSON.parse(result.output.text)).toEqual([{ n: 1 }, null, 'done\n']);
    expect(result.ok && result.output.mediaType).toBe('application/json');
  });

  it('fails an attempt that comes without its stage (a wiring bug), without retrying', async () => {
    const result = await createMapHandler().execute(
      makePhaseTask({ phase: mapPhase }),
      signal,
      recordingAttemptContext(),
    );
    expect(result).toMatchObject({ ok: false, retryable: false, error: { code: 'INTERNAL' } });
  });
});
