/**
 * The one small database interface the store is written against. Two drivers implement it —
 * PGlite (`pglite-db.ts`) and PostgreSQL through `pg` (`postgres-db.ts`) — and both run the same
 * migrations and the same SQL (`sql/*.ts`).
 */

/** Something that runs statements: the database itself, or an open transaction. */
export interface Queryable {
  /**
   * Runs one parameterised statement (`$1`, `$2` …) and returns its rows.
   * Throws a `STORAGE_ERROR` `BatonError` when the database refuses it.
   */
  query<T>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Runs a script of several statements without parameters (a migration). */
  exec(script: string): Promise<void>;
}

/** An open transaction. */
export interface Transaction extends Queryable {
  /** Rolls the transaction back instead of committing it when the callback returns. */
  rollbackOnReturn(): void;
}

/** Options of {@link Db.listen}. */
export interface ListenOptions {
  /**
   * Runs on the listening session each time it (re)connects, after its LISTEN and before
   * listening counts as started: to hold session state that must live exactly as long as the
   * listening (an advisory lock). A failure fails that connection.
   */
  readonly onConnected?: (session: Queryable) => Promise<void>;
}

/** A database: a PGlite instance or a PostgreSQL pool. */
export interface Db extends Queryable {
  /**
   * `postgres`: other processes may share the database, so the store announces its commits with
   * NOTIFY and may relax the durability of bare claims. `pglite`: this process owns it.
   */
  readonly driver: 'pglite' | 'postgres';
  /**
   * Runs `fn` in one transaction (READ COMMITTED). Commits when `fn` resolves (unless it called
   * `rollbackOnReturn`), rolls back and rethrows when it throws.
   */
  transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T>;
  /**
   * Calls `listener` with the payload of every notification on `channel` sent by another session
   * — not by this Db's own connections, whose commits the caller already knows about — and once
   * more (with an empty payload) after a lost listening connection was replaced (notifications
   * may have been missed meanwhile).
   * Resolves once listening; the function it resolves to stops. Only where other processes can
   * share the database (PostgreSQL); undefined on PGlite.
   */
  listen?(
    channel: string,
    listener: (payload: string) => void,
    options?: ListenOptions,
  ): Promise<() => Promise<void>>;
  /** Closes the database (the PGlite instance, or the pool). */
  close(): Promise<void>;
}
