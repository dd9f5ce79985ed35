/** Options every command that drives a run accepts. */
export interface DriveFlags {
  readonly auto?: boolean;
  readonly json?: boolean;
  readonly concurrency: number;
  readonly by: string;
}
