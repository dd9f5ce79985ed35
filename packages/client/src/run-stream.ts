/**
 * A run's stream as typed frames (`client.runs.stream`): the SSE reader of `event-stream.ts` on
 * `GET /api/runs/:id/events`, resuming from the last durable event it handed over. Each event
 * frame's `seq` is above the last one's: a frame the server sends again after a reconnect (at or
 * below the last seq taken) is dropped, so the consumer sees the log once, in order.
 */
import type { EventSourceMessage } from 'eventsource-parser';
import { ApiClientError, ApiClientErrorCode } from './api-client-error.js';
import { readEventStream, type EventStreamOptions } from './event-stream.js';
import type { Http } from './http.js';
import type { RunSnapshot } from './types/runs.js';
import type { RunStreamEvent, RunStreamFrame, RunStreamProgress } from './types/stream.js';

/** Options of `client.runs.stream`. */
export interface RunStreamOptions extends EventStreamOptions {
  /**
   * Resume after this seq (sent as `Last-Event-ID`): the stream then starts with the events after
   * it, without a snapshot. Without it, the first frame is the run's snapshot.
   */
  readonly lastEventId?: number;
}

/** The frames of run `id`'s stream until `options.signal` aborts; a refusal (401, 404) is thrown. */
export async function* streamRun(
  http: Http,
  id: string,
  options: RunStreamOptions = {},
): AsyncGenerator<RunStreamFrame, void, undefined> {
  const what = `GET /api/runs/${id}/events`;
  let lastSeq = options.lastEventId;
  const messages = readEventStream(
    {
      what,
      resumeFrom: () => (lastSeq === undefined ? undefined : String(lastSeq)),
      open: (lastEventId, signal) =>
        http.open({
          path: ['api', 'runs', id, 'events'],
          headers: {
            accept: 'text/event-stream',
            ...(lastEventId === undefined ? {} : { 'last-event-id': lastEventId }),
          },
          signal,
        }),
    },
    options,
  );
  for await (const message of messages) {
    const frame = frameOf(message, what);
    if (frame === undefined) continue;
    if (frame.kind === 'snapshot' || frame.kind === 'event') {
      if (lastSeq !== undefined && frame.seq <= lastSeq) continue;
      lastSeq = frame.seq;
    }
    yield frame;
  }
}

/** The frame a message carries; undefined for a kind this client does not know (skipped). */
function frameOf(message: EventSourceMessage, what: string): RunStreamFrame | undefined {
  const data = parse(message.data, what);
  if (message.event === 'snapshot') {
    const { seq, snapshot } = data as { seq?: unknown; snapshot?: unknown };
    return { kind: 'snapshot', seq: integer(seq, what), snapshot: snapshot as RunSnapshot };
  }
  const aliases = aliasesOf(data);
  if (message.id !== undefined) {
    const { aliases: _, ...event } = data as RunStreamEvent & { aliases?: unknown };
    const seq = integer(event.seq ?? Number(message.id), what);
    return { kind: 'event', seq, event: { ...event, seq }, aliases };
  }
  if (message.event === 'phase_progress') {
    const { aliases: _, ...progress } = data as RunStreamProgress & { aliases?: unknown };
    return { kind: 'progress', progress, aliases };
  }
  if (message.event === 'activity') {
    const { phaseId, attempt, lastActivityAt } = data as {
      phaseId: string;
      attempt: number;
      lastActivityAt: string;
    };
    return { kind: 'activity', phaseId, attempt, lastActivityAt };
  }
  return undefined;
}

function parse(data: string, what: string): object {
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch (cause) {
    throw invalid(`${what}: a frame's data is not JSON`, cause);
  }
  if (typeof json !== 'object' || json === null) throw invalid(`${what}: a frame's data is not an object`);
  return json;
}

function aliasesOf(data: object): readonly string[] {
  const aliases = (data as { aliases?: unknown }).aliases;
  return Array.isArray(aliases) ? aliases.filter((alias): alias is string => typeof alias === 'string') : [];
}

function integer(value: unknown, what: string): number {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  throw invalid(`${what}: a frame has no valid seq`);
}

function invalid(message: string, cause?: unknown): ApiClientError {
  return new ApiClientError(
    0,
    ApiClientErrorCode.invalidResponse,
    message,
    cause === undefined ? {} : { cause },
  );
}
