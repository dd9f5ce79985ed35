import { shrinkProgress, type PhaseProgressEvent } from '@baton/engine';
import { ChannelSubscribers } from './channel-subscribers.js';
import type { Db } from './db.js';

/** The channel of cross-process progress (`LISTEN baton_progress`). */
const PROGRESS_CHANNEL = 'baton_progress';

/**
 * `phase_progress` events of one store: delivered to its own subscribers at once and, on
 * PostgreSQL, to other processes' stores through `NOTIFY baton_progress` (a JSON payload, small
 * enough for PostgreSQL's limit: see `shrinkProgress`). Progress missed while a listening
 * connection was being replaced is gone: it is live only.
 */
export function createProgressChannel(db: Db) {
  const subscribers = new ChannelSubscribers<PhaseProgressEvent>(
    db.listen === undefined ? undefined : (onPayload) => db.listen!(PROGRESS_CHANNEL, onPayload),
    (payload) => {
      if (payload === '') return undefined;
      try {
        return { value: JSON.parse(payload) as PhaseProgressEvent };
      } catch {
        return undefined;
      }
    },
  );
  return {
    async publish(event: PhaseProgressEvent): Promise<void> {
      const small = shrinkProgress(event);
      subscribers.dispatch(small);
      if (db.driver === 'postgres') {
        await db.query('SELECT pg_notify($1, $2)', [PROGRESS_CHANNEL, JSON.stringify(small)]);
      }
    },
    subscribe: (listener: (event: PhaseProgressEvent) => void) => subscribers.add(listener),
    close: () => subscribers.close(),
  };
}
