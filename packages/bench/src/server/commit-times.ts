/**
 * When each stored event was committed, by PostgreSQL's own record: `pg_xact_commit_timestamp` of
 * the transaction that inserted the event's row (`xmin`). PostgreSQL keeps these only when it runs
 * with `track_commit_timestamp = on` (a server setting, read at start: `postgres -c
 * track_commit_timestamp=on`, or `ALTER SYSTEM SET track_commit_timestamp = on` and a restart).
 *
 * Why the delivery workload wants them: an event's `at` is the writer's clock before its commit, so
 * arrival − `at` also counts the write itself — its wait for a connection and for the run's lock,
 * its statements — which is the engine's write latency, not the stream's delivery. The commit
 * timestamp is taken by PostgreSQL while it commits, just before the commit record is flushed, so
 * arrival − commit timestamp is commit → arrival, counting the flush (slightly more, never less).
 * Same machine, same clock (`CLOCK_REALTIME` on both sides).
 *
 * The embedded database runs inside the served process (one session: the bench cannot open it
 * alongside), so there the figure stays arrival − `at`.
 */
import { openPostgresDb } from '@baton/store';

/** The commit time (ms since the epoch) of each stored event, keyed by {@link eventKey}. */
export type CommitTimes = ReadonlyMap<string, number>;

export function eventKey(runId: string, seq: number): string {
  return `${runId}#${seq}`;
}

/**
 * The commit times of every stored event of `runIds` on the database at `databaseUrl`, or why
 * there are none (the server does not track commit timestamps).
 */
export async function readCommitTimes(
  databaseUrl: string,
  runIds: readonly string[],
): Promise<{ readonly times: CommitTimes } | { readonly unavailable: string }> {
  const db = openPostgresDb({ connectionString: databaseUrl, maxConnections: 1 });
  try {
    const [setting] = await db.query<{ track_commit_timestamp: string }>('SHOW track_commit_timestamp');
    if (setting?.track_commit_timestamp !== 'on')
      return {
        unavailable:
          'PostgreSQL does not keep commit timestamps (start it with -c track_commit_timestamp=on)',
      };
    const rows = await db.query<{ run_id: string; seq: number; committed: number | null }>(
      `SELECT run_id, seq,
              extract(epoch FROM pg_xact_commit_timestamp(xmin)) * 1000 AS committed
         FROM events
        WHERE run_id = ANY($1::text[])`,
      [runIds],
    );
    const times = new Map<string, number>();
    // A row frozen by VACUUM has lost its transaction id (null): it is left out, and counted as
    // untimed by the caller.
    for (const row of rows)
      if (row.committed !== null) times.set(eventKey(row.run_id, row.seq), Number(row.committed));
    return { times };
  } finally {
    await db.close();
  }
}
