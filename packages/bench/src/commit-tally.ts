/**
 * Client-side accounting of what the store asks of its database: every transaction and every bare
 * statement (an implicit transaction of its own) is counted as a commit, attributed to the
 * `RunStore` method that caused it. The server's own count (`pg_stat_database.xact_commit`) is
 * read separately (`backends.ts`); the two should agree, and this one says where the commits go.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { RunStore } from '@baton/engine';
import type { Db, ListenOptions, Transaction } from '@baton/store';

/** What one store method cost during a measurement. */
export interface MethodTally {
  calls: number;
  /** Committed transactions (a bare statement counts as one). */
  commits: number;
  /**
   * Of `commits`, those that wrote (an INSERT/UPDATE/DELETE, a row lock taken, a NOTIFY): they get a
   * transaction id and a commit record, which a durable commit waits to flush. The others are
   * read-only: they cost a round trip, not a WAL flush.
   */
  writeCommits: number;
  /** Of `writeCommits`, those with `synchronous_commit = off` (no WAL flush wait). */
  relaxedCommits: number;
  /** Statements sent (round trips), BEGIN/COMMIT not included. */
  statements: number;
  /** Sum of the calls' wall times (calls may overlap). */
  ms: number;
  /** Tasks the calls claimed (`claim`, and `apply` with `claimNext`). */
  tasks: number;
}

/** Per-method tallies; `reset()` between measurements. */
export class CommitTally {
  private readonly methods = new Map<string, MethodTally>();

  reset(): void {
    this.methods.clear();
  }

  /** The tally of `method` (created on first use). */
  of(method: string): MethodTally {
    let tally = this.methods.get(method);
    if (tally === undefined) {
      tally = { calls: 0, commits: 0, writeCommits: 0, relaxedCommits: 0, statements: 0, ms: 0, tasks: 0 };
      this.methods.set(method, tally);
    }
    return tally;
  }

  /** Every method's tally, most commits first. */
  entries(): [string, MethodTally][] {
    return [...this.methods].sort((a, b) => b[1].commits - a[1].commits || b[1].calls - a[1].calls);
  }

  /** Commits of every method but `except`. */
  commits(except: readonly string[] = []): number {
    let total = 0;
    for (const [method, tally] of this.methods) if (!except.includes(method)) total += tally.commits;
    return total;
  }
}

/** The pseudo-method under which the wake-ups a subscriber received are counted (as calls). */
const WAKEUPS = 'wake-ups (subscriber calls)';

/** The store method running in the current async context (`outside` when none). */
const currentMethod = new AsyncLocalStorage<string>();

/** Runs `fn` with its database work attributed to `label` (the bench's own queries). */
export function attribute<T>(label: string, fn: () => Promise<T>): Promise<T> {
  return currentMethod.run(label, fn);
}

function methodNow(): string {
  return currentMethod.getStore() ?? 'outside';
}

/**
 * Wraps a {@link Db} so each commit it makes is tallied under the calling store method. A
 * transaction that rolls back (refused input, error) is not a commit.
 */
export function tallyDb(db: Db, tally: CommitTally): Db {
  const transaction = async <T>(fn: (tx: Transaction) => Promise<T>): Promise<T> => {
    let rolledBack = false;
    let relaxed = false;
    let writes = false;
    const result = await db.transaction((tx) =>
      fn(
        new Proxy(tx, {
          get(target, property, receiver) {
            if (property === 'query') {
              return async <R>(sql: string, params?: readonly unknown[]) => {
                if (/synchronous_commit\s*=\s*off/i.test(sql)) relaxed = true;
                tally.of(methodNow()).statements += 1;
                const rows = await target.query<R>(sql, params);
                if (isWrite(sql, rows.length)) writes = true;
                return rows;
              };
            }
            if (property === 'rollbackOnReturn') {
              return () => {
                rolledBack = true;
                target.rollbackOnReturn();
              };
            }
            return Reflect.get(target, property, receiver) as unknown;
          },
        }),
      ),
    );
    if (!rolledBack) {
      const entry = tally.of(methodNow());
      entry.commits += 1;
      if (writes) entry.writeCommits += 1;
      if (writes && relaxed) entry.relaxedCommits += 1;
    }
    return result;
  };
  const query = async <T>(sql: string, params?: readonly unknown[]): Promise<T[]> => {
    const rows = await db.query<T>(sql, params);
    const entry = tally.of(methodNow());
    entry.statements += 1;
    entry.commits += 1;
    if (isWrite(sql, rows.length)) entry.writeCommits += 1;
    return rows;
  };
  const exec = async (script: string): Promise<void> => {
    await db.exec(script);
    tally.of(methodNow()).commits += 1;
  };
  const listen =
    db.listen === undefined
      ? undefined
      : async (channel: string, listener: (payload: string) => void, options?: ListenOptions) => {
          const stop = await db.listen!(channel, listener, options);
          // `LISTEN` on the dedicated connection.
          tally.of(methodNow()).commits += 1;
          return stop;
        };
  return new Proxy(db, {
    get(target, property, receiver) {
      switch (property) {
        case 'transaction':
          return transaction;
        case 'query':
          return query;
        case 'exec':
          return exec;
        case 'listen':
          return listen;
        default:
          return Reflect.get(target, property, receiver) as unknown;
      }
    },
  });
}

/** Wraps a {@link RunStore} so each method call is counted, timed and attributes its commits. */
export function tallyStore(store: RunStore, tally: CommitTally): RunStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      const method = value as (...args: unknown[]) => Promise<unknown>;
      return (...args: unknown[]) => {
        if (property === 'subscribe' && typeof args[0] === 'function') {
          // Count the wake-ups the store delivers (its own commits and other processes').
          const listener = args[0] as () => void;
          args[0] = () => {
            tally.of(WAKEUPS).calls += 1;
            listener();
          };
        }
        return currentMethod.run(property, async () => {
          const entry = tally.of(property);
          entry.calls += 1;
          const started = performance.now();
          try {
            const result = await method.apply(target, args);
            entry.tasks += claimedCount(result);
            return result;
          } finally {
            entry.ms += performance.now() - started;
          }
        });
      };
    },
  });
}

/**
 * Whether a statement makes its transaction a writing one: a data change (also inside a `WITH`),
 * a NOTIFY (queued with a transaction id), or a `FOR UPDATE` that locked rows. Judged from the
 * text: good enough for the store's own SQL, which is all that runs here.
 */
function isWrite(sql: string, rowCount: number): boolean {
  const text = sql.trim();
  if (/^(insert|update|delete|notify)\b/i.test(text)) return true;
  if (/^with\b/i.test(text) && /\b(insert\s+into|update\s+\w+\s+set|delete\s+from)\b/i.test(text))
    return true;
  return /\bfor\s+update\b/i.test(text) && rowCount > 0;
}

/** Tasks a `claim` (an array) or an `apply` (`claimed`) returned; 0 for anything else. */
function claimedCount(result: unknown): number {
  if (Array.isArray(result)) return result.filter((item) => isRecord(item) && 'lease' in item).length;
  if (isRecord(result) && Array.isArray(result.claimed)) return result.claimed.length;
  return 0;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
