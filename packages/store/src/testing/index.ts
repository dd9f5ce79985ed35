export { createTestDatabase, type TestDatabase } from './create-test-database.js';
export { describeOnPostgres } from './describe-on-postgres.js';
