/**
 * Runs TypeORM migrations under a PostgreSQL advisory lock, so several API
 * and worker instances starting at once apply each migration exactly once
 * (TypeORM itself takes no lock).
 */
import pg from 'pg';
import { DataSource, type MigrationInterface } from 'typeorm';

type MigrationClass = new () => MigrationInterface;

/** Arbitrary constant shared by every instance: "ledger migrations". */
const MIGRATION_LOCK_KEY = 7_310_442_001;

export async function runMigrations(connectionString: string, migrations: readonly MigrationClass[]): Promise<string[]> {
  const lockClient = new pg.Client({ connectionString });
  await lockClient.connect();
  try {
    await lockClient.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const dataSource = new DataSource({
      type: 'postgres',
      url: connectionString,
      migrations: [...migrations],
      migrationsTableName: 'ledger_migrations',
      migrationsTransactionMode: 'each',
      synchronize: false,
      logging: false,
    });
    await dataSource.initialize();
    try {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      return applied.map((migration) => migration.name);
    } finally {
      await dataSource.destroy();
    }
  } finally {
    await lockClient.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await lockClient.end();
  }
}
