/** Time comes into the engine through this port (the core never reads the wall clock). */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}
