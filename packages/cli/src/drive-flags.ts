/** Options every command that drives a run accepts. */
export interface DriveFlags {
  readonly auto?: boolean;
  readonly json?: boolean;
  readonly concurrency: number;
  readonly by: string;
  /** PostgreSQL URL; default `$BATON_DATABASE_URL`, else the embedded `$BATON_HOME`. */
  readonly databaseUrl?: string;
  /** Lease of a claimed phase in ms (`--lease`, else `$BATON_LEASE_MS`); the driver's default without. */
  readonly lease?: number;
}
