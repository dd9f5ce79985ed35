import type { LlmMode } from '@baton/agents';
import type { RunSnapshot } from '@baton/runtime';

/**
 * The notice a session under `BATON_LLM=record` ends with when the run has made no model call
 * that could be recorded, so no cassette was written; `undefined` otherwise (or in other modes).
 *
 * Only calls to a live provider are recorded: a `scripted` call is answered from the run's
 * fixtures file, which already holds every answer and is what replay of that phase reads too, so
 * a cassette of it would repeat the fixtures and never be read. Saying so beats silence, which
 * leaves a person looking for a cassette that was never going to be there.
 */
export function recordNotice(mode: LlmMode, snapshot: RunSnapshot): string | undefined {
  if (mode !== 'record') return undefined;
  if (snapshot.usage === undefined)
    return 'BATON_LLM=record: the run made no model call, so no cassette was written';
  if (snapshot.offline === true)
    return 'BATON_LLM=record: no model call went to a live provider (all were scripted), so no cassette was written';
  return undefined;
}
