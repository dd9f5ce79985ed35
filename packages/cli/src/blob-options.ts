import { parseBlobThreshold } from '@baton/server/home';

/** The flags of where large contents go (`baton serve`, `baton worker`). */
export interface BlobFlags {
  /** `--blobs-dir`, else `$BATON_BLOBS_DIR`. */
  readonly blobsDir?: string;
  /** `--blob-threshold`, else `$BATON_BLOB_THRESHOLD`. */
  readonly blobThreshold?: string;
}

/**
 * Where this command puts large contents and from which size: the flags, else the environment —
 * so that every `baton` process on one database (commands, workers, servers) agrees when the
 * environment says it once. Fails with BAD_REQUEST on a threshold that is not a size.
 */
export function blobOptions(
  flags: BlobFlags,
  env: NodeJS.ProcessEnv = process.env,
): { readonly blobsDir?: string; readonly blobThreshold?: number } {
  const blobsDir = flags.blobsDir ?? (env.BATON_BLOBS_DIR?.trim() || undefined);
  const threshold =
    flags.blobThreshold !== undefined
      ? parseBlobThreshold(flags.blobThreshold, '--blob-threshold')
      : env.BATON_BLOB_THRESHOLD?.trim()
        ? parseBlobThreshold(env.BATON_BLOB_THRESHOLD, 'BATON_BLOB_THRESHOLD')
        : undefined;
  return {
    ...(blobsDir === undefined ? {} : { blobsDir }),
    ...(threshold === undefined ? {} : { blobThreshold: threshold }),
  };
}
