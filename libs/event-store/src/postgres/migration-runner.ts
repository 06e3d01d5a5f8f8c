/**
 * Runs TypeORM migrations under a PostgreSQL advisory lock, so several API
 * and worker instances starting at once apply each migration exactly once
 * (TypeORM itself takes no lock). Then, under the same lock, grants the
 * runtime role its privileges on whatever tables the migrations made
 * (ledger-writer-role.ts). Run with the owner's connection string.
 */
import pg from 'pg';
import { DataSource, type MigrationInterface } from 'typeorm';
import { grantLedgerWriter } from './ledger-writer-role.js';

type MigrationClass = new () => MigrationInterface;

/** Arbitrary constant shared by every instance: "ledger migrations". */
const MIGRATION_LOCK_KEY = 7_310_442_001;
/** TypeORM's record of applied migrations: the owner's alone. */
const MIGRATIONS_TABLE = 'ledger_migrations';

export async function runMigrations(connectionString: string, migrations: readonly MigrationClass[]): Promise<string[]> {
  // No statement_timeout here, on purpose (the service's pools all set one): the lock waits for as long
  // as another instance migrates, and a migration may rewrite or index a large table for minutes.
  // Stopping either half way would only make the next start do it again.
  const lockClient = new pg.Client({ connectionString });
  await lockClient.connect();
  try {
    await lockClient.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const dataSource = new DataSource({
      type: 'postgres',
      url: connectionString,
      migrations: [...migrations],
      migrationsTableName: MIGRATIONS_TABLE,
      migrationsTransactionMode: 'each',
      synchronize: false,
      logging: false,
    });
    await dataSource.initialize();
    try {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      await grantLedgerWriter(lockClient, [MIGRATIONS_TABLE]);
      return applied.map((migration) => migration.name);
    } finally {
      await dataSource.destroy();
    }
  } finally {
    await lockClient.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await lockClient.end();
  }
}
