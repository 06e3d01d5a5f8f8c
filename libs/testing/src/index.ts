export { createTestDatabase, type TestDatabase } from './test-database.js';
export { testServerUrl, TEST_POSTGRES_URL_VARIABLE } from './test-server-url.js';
