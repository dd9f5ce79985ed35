/**
 * `@baton/server/home`: a home as the server opens it, for a `baton` command that acts on the home
 * without serving the API — its database opened and migrated under the home's lock, the blob
 * store its contents go to, and `server.json`, which names the process that holds the home and
 * serves its socket. Loads neither Hono nor the routes: a command that only reads runs need not
 * pay for them (the CLI runs its TypeScript through tsx, where every module loaded costs).
 */
export { readHomeServerFile, homeSocketPath, type HomeServerInfo } from './serve/home-server-file.js';
export { openHomeDatabase, type HomeDatabase } from './serve/server-database.js';
export { blobStorage, parseBlobThreshold, type BlobStorageOptions } from './serve/blob-storage.js';
