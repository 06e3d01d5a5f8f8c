/**
 * One PostgreSQL for the whole test run: the server at DATABASE_URL when it
 * is set, otherwise an embedded PostgreSQL in a throw-away folder. Each test
 * file creates and drops its own database on it (libs/testing/src/test-database.ts).
 *
 * Plain JavaScript importing the compiled wrapper: Jest loads global setup
 * outside its ESM module system, where TypeScript sources do not resolve.
 * `npm test` builds first.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '../../../dist/libs/event-store/src/postgres/embedded-postgres-server.js';
import { TEST_POSTGRES_URL_VARIABLE } from '../../../dist/libs/testing/src/test-server-url.js';

export default async function setup() {
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl !== undefined && serverUrl !== '') {
    process.env[TEST_POSTGRES_URL_VARIABLE] = serverUrl;
    return;
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'ledger-test-pg-'));
  globalThis.__embeddedTestPostgres = await startEmbeddedPostgres({ dataDir, ephemeral: true, unsafeFast: true });
  process.env[TEST_POSTGRES_URL_VARIABLE] = globalThis.__embeddedTestPostgres.url;
}
