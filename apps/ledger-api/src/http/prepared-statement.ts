import type pg from 'pg';
import type { DataSource } from 'typeorm';

/** A statement the edge runs on (nearly) every request: named, so each connection parses and plans it once. */
export interface PreparedStatement {
  /** Unique among the statements of the process (PostgreSQL keeps prepared statements per connection by name). */
  readonly name: string;
  readonly text: string;
}

/**
 * Runs a hot-path statement straight on the pg pool under a PostgreSQL
 * DataSource, as a named (prepared) statement: the server skips the parse and
 * plan, and this process TypeORM's query runner (a pool checkout with its
 * bookkeeping, logging and event broadcasts) per request. Any other DataSource
 * runs it through a TypeORM query runner, unprepared. Returns the rows.
 */
export async function queryPrepared<Row>(dataSource: DataSource, statement: PreparedStatement, values: readonly unknown[]): Promise<Row[]> {
  const pool = postgresPool(dataSource);
  if (pool !== null) return (await pool.query({ name: statement.name, text: statement.text, values: [...values] })).rows as Row[];
  const runner = dataSource.createQueryRunner();
  try {
    return ((await runner.query(statement.text, [...values], true)) as { records: Row[] }).records;
  } finally {
    await runner.release();
  }
}

/** The pg pool of an initialised PostgreSQL DataSource (TypeORM's PostgresDriver keeps it as `master`); null otherwise. */
function postgresPool(dataSource: DataSource): pg.Pool | null {
  if (dataSource.options.type !== 'postgres') return null;
  const master = (dataSource.driver as { master?: unknown }).master;
  return typeof master === 'object' && master !== null && typeof (master as pg.Pool).query === 'function' ? (master as pg.Pool) : null;
}
