/**
 * Hooks into the store's transactions, for tests only: fault injection (kill the process between
 * the writes and the COMMIT) and barriers (hold two transactions just before COMMIT).
 */
export interface StoreHooks {
  /** Called inside every writing transaction that will commit, after its writes, before COMMIT. */
  readonly beforeCommit?: () => void | Promise<void>;
}

/** Options of `createSqlRunStore`. */
export interface SqlRunStoreOptions {
  readonly hooks?: StoreHooks;
}
