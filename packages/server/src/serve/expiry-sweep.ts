/**
 * The expiry sweep of `baton serve`: deletes the account records nothing can use any more — so that
 * the tables hold what is live, not everything that ever was. On start and then every
 * `intervalMs` (10 minutes), it deletes:
 *
 * - sessions that ended (a logout) or expired;
 * - API tokens that were revoked, or that expired more than `EXPIRED_TOKENS_LISTED_MS` (30 days)
 *   ago — until then the tokens list shows them, with their `expiresAt`;
 * - `Idempotency-Key` records past their 24 hours;
 * - setup tokens of a tenant that has its owner;
 * - tombstones of runs deleted more than `RUN_TOMBSTONES_KEPT_MS` (7 days) ago — the tenant stream
 *   tells a dashboard resuming from an older cursor no more that those runs are gone.
 *
 * What it deletes is refused already by every query that reads it (an expired session or token is
 * `401` at once): the sweep changes what is stored, never what is accepted. Every statement is a
 * plain `DELETE … WHERE <expired>`: several servers on one database may sweep at once — each
 * deletes what the others have not yet, and a row another sweep holds locked is waited for, then
 * found gone. A sweep that fails (the database is away) is logged and tried again at the next
 * interval. The timer is unref'd: it never keeps the process alive.
 */
import type { Clock } from '@baton/engine';
import { systemClock } from '@baton/runtime';
import { createRunChanges, type Queryable } from '@baton/store';
import type { Logger } from 'pino';
import { EXPIRED_TOKENS_LISTED_MS } from '../accounts/api-tokens.js';
import { IDEMPOTENCY_TTL_MS } from '../middleware/idempotency.js';
import { deleteDeadApiTokens } from '../sql/delete-dead-api-tokens.js';
import { deleteDeadSessions } from '../sql/delete-dead-sessions.js';
import { deleteExpiredIdempotencyKeys } from '../sql/delete-expired-idempotency-keys.js';
import { deleteUsedSetupTokens } from '../sql/delete-used-setup-tokens.js';

/** How long a deleted run's tombstone is kept for the tenant stream (7 days). */
const RUN_TOMBSTONES_KEPT_MS = 7 * 24 * 60 * 60 * 1000;

/** How often a server sweeps by default: every 10 minutes. */
const DEFAULT_SWEEP_INTERVAL_MS = 10 * 60 * 1000;

/** What {@link sweepExpired} deletes after, in milliseconds. */
export interface ExpiryWindows {
  /** How long an `Idempotency-Key` record is kept (default 24 hours, as the middleware's). */
  readonly idempotencyTtlMs?: number;
  /** How long an expired API token stays listed before it is deleted (default 30 days). */
  readonly expiredTokensListedMs?: number;
  /** How long a deleted run's tombstone is kept (default 7 days). */
  readonly runTombstonesKeptMs?: number;
}

/** How many records one sweep deleted, by kind. */
export interface SweepCounts {
  readonly sessions: number;
  readonly apiTokens: number;
  readonly idempotencyKeys: number;
  readonly setupTokens: number;
  readonly runTombstones: number;
}

/** One sweep at `now`: deletes what has expired (see the module's comment) and counts it. */
export async function sweepExpired(
  db: Queryable,
  now: number,
  windows: ExpiryWindows = {},
): Promise<SweepCounts> {
  const sessions = await deleteDeadSessions(db, now);
  const apiTokens = await deleteDeadApiTokens(
    db,
    now - (windows.expiredTokensListedMs ?? EXPIRED_TOKENS_LISTED_MS),
  );
  const idempotencyKeys = await deleteExpiredIdempotencyKeys(
    db,
    now - (windows.idempotencyTtlMs ?? IDEMPOTENCY_TTL_MS),
  );
  const setupTokens = await deleteUsedSetupTokens(db);
  const runTombstones = await createRunChanges(db).sweepTombstones(
    now - (windows.runTombstonesKeptMs ?? RUN_TOMBSTONES_KEPT_MS),
  );
  return { sessions, apiTokens, idempotencyKeys, setupTokens, runTombstones };
}

/** Options of {@link startExpirySweep}. */
export interface ExpirySweepOptions extends ExpiryWindows {
  readonly db: Queryable;
  readonly log: Logger;
  /** What "now" is at each sweep (default: the wall clock). */
  readonly clock?: Clock;
  /** Time between the end of one sweep and the start of the next (default 10 minutes). */
  readonly intervalMs?: number;
}

/** A running sweep. */
export interface ExpirySweep {
  /** No sweep starts from now on; resolves once the one running (if any) has ended. */
  stop(): Promise<void>;
}

/** Sweeps at once, then every `intervalMs` until stopped. Never throws: failures are logged. */
export function startExpirySweep(options: ExpirySweepOptions): ExpirySweep {
  const clock = options.clock ?? systemClock;
  const intervalMs = options.intervalMs ?? DEFAULT_SWEEP_INTERVAL_MS;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  const sweep = async (): Promise<void> => {
    try {
      const counts = await sweepExpired(options.db, clock.now(), options);
      const total =
        counts.sessions +
        counts.apiTokens +
        counts.idempotencyKeys +
        counts.setupTokens +
        counts.runTombstones;
      if (total > 0) options.log.info({ deleted: counts }, 'swept expired sessions, tokens and keys');
    } catch (error) {
      options.log.warn({ err: error }, 'the expiry sweep failed; it runs again at the next interval');
    }
  };
  const next = (): void => {
    if (stopped) return;
    running = sweep().finally(() => {
      running = undefined;
      if (stopped) return;
      timer = setTimeout(next, intervalMs);
      timer.unref();
    });
  };
  next();
  return {
    async stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      await running;
    },
  };
}
