/**
 * The options of the `RunStore` contract suite: what it asks of a store and what the store under
 * test says it can do. Shared by the suite's parts (`run-store-contract.ts` and
 * `run-store-queue-contract.ts`), which therefore do not import each other's types.
 */

/** How the suite asks for a store. */
export interface RunStoreContractOpenOptions {
  /** Open the same data as the store opened before (which the suite closed first). */
  readonly reopen?: boolean;
}

/** What the store under test can do. */
export interface RunStoreContractOptions {
  /** The data outlives `close()`: `open({ reopen: true })` gets it back. */
  readonly persistent?: boolean;
  /**
   * Two stores `open` returns share one database, and a commit through one wakes the subscribers
   * of the other (PostgreSQL: LISTEN/NOTIFY).
   */
  readonly wakesOtherStores?: boolean;
}
