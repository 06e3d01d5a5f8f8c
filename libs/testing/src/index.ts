export { createTestDatabase, type TestDatabase } from './test-database.js';
export { testServerUrl, TEST_POSTGRES_URL_VARIABLE } from './test-server-url.js';
export { at, deciderSpec, type DeciderSpec, type Given, type SpecDecider, type When } from './given-when-then.js';
export { decideEvents, recordCommands, type EncodingDecider } from './decided-events.js';
