/**
 * `@baton/server/artifacts`: a run's outputs read as the API answers them — a version, one file of
 * a file tree, the diff of two versions, the run's outputs as a zip — for a `baton` command that
 * reads the home itself. Fails with the API's own errors (`ApiError`: `@baton/server/errors`).
 * Loads neither Hono's app nor the routes.
 */
export { readTreeFile, readVersion, versionToShow } from './artifact-versions.js';
export { diffVersions } from './artifact-diff.js';
export { planRunArchive, zipRunArchive, type RunArchive } from './run-archive.js';
