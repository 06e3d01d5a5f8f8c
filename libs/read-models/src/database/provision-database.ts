/**
 * Finds the ledger's PostgreSQL and brings its schema up to date: the server
 * at DATABASE_URL, or else the embedded PostgreSQL (zero setup) with its data
 * in a local folder. Several instances may run this at once against one
 * server: migrations take an advisory lock.
 */
import { resolve } from 'node:path';
import pg from 'pg';
import type { LedgerConfig } from '#configuration';
import { runMigrations, startEmbeddedPostgres, type RunningPostgres } from '#event-store';
import { ledgerMigrations } from './ledger-migrations.js';

/** The database the embedded default keeps the ledger in. */
const EMBEDDED_DATABASE = 'ledger';

export interface ProvisionedDatabase {
  readonly url: string;
  /** Set when this process started the embedded PostgreSQL (and must stop it). */
  readonly embedded: { readonly dataDir: string; readonly port: number } | null;
  readonly appliedMigrations: readonly string[];
  stop(): Promise<void>;
}

export async function provisionDatabase(config: Pick<LedgerConfig, 'databaseUrl' | 'embeddedDataDir' | 'embeddedPort'>): Promise<ProvisionedDatabase> {
  let url = config.databaseUrl;
  let server: RunningPostgres | null = null;
  const dataDir = resolve(config.embeddedDataDir);
  if (url === null) {
    server = await startEmbeddedPostgres({ dataDir, preferredPort: config.embeddedPort ?? undefined });
    url = await ensureDatabase(server.url, EMBEDDED_DATABASE);
  }
  try {
    const appliedMigrations = await runMigrations(url, ledgerMigrations);
    const running = server;
    return {
      url,
      embedded: running === null ? null : { dataDir, port: running.port },
      appliedMigrations,
      stop: async () => {
        await running?.stop();
      },
    };
  } catch (error) {
    await server?.stop();
    throw error;
  }
}

async function ensureDatabase(serverUrl: string, database: string): Promise<string> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${database}`);
  } finally {
    await client.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}
