/** Test support for server tests (`@baton/server/testing`): fresh databases, a real server, account helpers. */
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
