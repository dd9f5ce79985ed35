/**
 * Exit codes of `baton` — documented in `baton help` and the README. Apart from the table that
 * maps errors and runs to them (`exit-codes.ts`), which needs every package's error codes: what
 * every command and `baton help` need costs nothing to load.
 */
export const ExitCode = {
  completed: 0,
  failed: 1,
  badInput: 2,
  waiting: 3,
  internal: 4,
  interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
