/**
 * Finds the ledger's PostgreSQL and brings its schema up to date: the server
 * at DATABASE_URL, or else the embedded PostgreSQL (zero setup) with its data
 * in a local folder. Several instances may run this at once against one
 * server: migrations take an advisory lock.
 *
 * Migrations run as the owner (LEDGER_MIGRATION_DATABASE_URL, by default
 * DATABASE_URL); the URL it answers for everything else runs as the runtime
 * role, which may insert events but never change or remove one
 * (libs/event-store ledger-writer-role.ts says what protects what).
 */
import { resolve } from 'node:path';
import pg from 'pg';
import type { LedgerConfig } from '#configuration';
import { restrictToLedgerWriter, runMigrations, startEmbeddedPostgres, type LedgerWriterAccess, type RunningPostgres } from '#event-store';
import { ledgerMigrations } from './ledger-migrations.js';

/** The database the embedded default keeps the ledger in. */
const EMBEDDED_DATABASE = 'ledger';

export interface ProvisionedDatabase {
  /** What every runtime pool, store and thread connects with: the runtime role only. */
  readonly url: string;
  /** How the runtime sessions hold only the runtime role's privileges. */
  readonly writer: LedgerWriterAccess;
  /** Set when this process started the embedded PostgreSQL (and must stop it). */
  readonly embedded: { readonly dataDir: string; readonly port: number } | null;
  readonly appliedMigrations: readonly string[];
  stop(): Promise<void>;
}

export type DatabaseSettings = Pick<LedgerConfig, 'databaseUrl' | 'embeddedDataDir' | 'embeddedPort'> & Partial<Pick<LedgerConfig, 'migrationDatabaseUrl'>>;

export async function provisionDatabase(config: DatabaseSettings): Promise<ProvisionedDatabase> {
  let url = config.databaseUrl;
  let ownerUrl = config.migrationDatabaseUrl ?? url;
  let server: RunningPostgres | null = null;
  const dataDir = resolve(config.embeddedDataDir);
  if (url === null) {
    server = await startEmbeddedPostgres({ dataDir, preferredPort: config.embeddedPort ?? undefined });
    url = await ensureDatabase(server.url, EMBEDDED_DATABASE);
    ownerUrl = url;
  }
  try {
    const appliedMigrations = await runMigrations(ownerUrl ?? url, ledgerMigrations);
    const writer = await restrictToLedgerWriter(url);
    const running = server;
    return {
      url: writer.url,
      writer,
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
