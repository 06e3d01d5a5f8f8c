/**
 * A database of its own for each test file, created on the run's PostgreSQL
 * (see jest-global-setup.ts) with the schema from migrations, and dropped
 * afterwards. Only databases this helper created are ever dropped.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { MigrationInterface } from 'typeorm';
import { runMigrations } from '#event-store';
import { testServerUrl } from './test-server-url.js';

const TEST_DATABASE_PREFIX = 'ledger_test_';

export interface TestDatabase {
  readonly name: string;
  readonly url: string;
  /** Drops the database, ending any connection still open to it. */
  drop(): Promise<void>;
}

export async function createTestDatabase(migrations: ReadonlyArray<new () => MigrationInterface>): Promise<TestDatabase> {
  const serverUrl = testServerUrl();
  const name = `${TEST_DATABASE_PREFIX}${randomBytes(6).toString('hex')}`;
  await withAdminClient(serverUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = databaseUrl(serverUrl, name);
  await runMigrations(url, migrations);
  return {
    name,
    url,
    async drop() {
      await withAdminClient(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function withAdminClient<T>(serverUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
