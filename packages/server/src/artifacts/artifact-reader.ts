/**
 * What reading a run's artifacts needs of a store: the run, its events (who made each version),
 * its versions and their contents, file-tree contents, and the model usage its snapshot shows. A
 * tenant's `RunStore` view is one (the routes'), and so is the CLI's home store: both answer
 * through the same functions.
 */
import type { RunStore } from '@baton/engine';

export type ArtifactReader = Pick<
  RunStore,
  'getRun' | 'listEvents' | 'getArtifact' | 'getArtifacts' | 'listArtifactVersions' | 'getBlob' | 'modelUsage'
>;
