import { BatonError, type BatonErrorOptions } from '@baton/engine';

/** Stable error codes of the CLI's own work (what no other package does). */
export const CliErrorCode = {
  /**
   * `baton download`: an entry of the run's zip that would land outside the directory — an
   * absolute name, a `..` part, or a path through a symbolic link (zip-slip). Nothing is written
   * for it, and the download stops.
   */
  unsafeZipEntry: 'UNSAFE_ZIP_ENTRY',
} as const;
export type CliErrorCode = (typeof CliErrorCode)[keyof typeof CliErrorCode];

/** An error of the CLI; a {@link BatonError}, so `isBatonError` and the exit-code table take it. */
export class CliError extends BatonError<CliErrorCode> {
  constructor(code: CliErrorCode, message: string, options?: BatonErrorOptions) {
    super(code, message, options);
    this.name = 'CliError';
  }
}
