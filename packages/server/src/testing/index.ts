/**
 * Test support for server tests (`@baton/server/testing`): fresh databases, the app on one of them
 * (`startTestServer`), `baton serve` on a temporary home (`startHomeServer`), requests over a Unix
 * socket, account helpers.
 */
export {
  describeOnBackends,
  openTestDatabase,
  type TestBackend,
  type TestDatabase,
} from './test-database.js';
export {
  manualClock,
  startTestServer,
  type ManualClock,
  type TestServer,
  type TestServerOptions,
} from './test-server.js';
export {
  createOwner,
  createToken,
  ownerHeaders,
  postJson,
  sessionCookie,
  type TestOwner,
} from './accounts-client.js';
export { startHomeServer, type HomeServer } from './home-server.js';
export { socketRequest, type SocketInit, type SocketResponse } from './socket-request.js';
