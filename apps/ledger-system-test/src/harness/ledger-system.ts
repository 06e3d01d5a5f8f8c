/**
 * The system under test, assembled as in production but on one machine:
 * its own embedded PostgreSQL (system-postgres.ts), one database on it, the
 * API and the worker as separate OS processes from the built dist/
 * (service-process.ts), and what the scenarios need around them: an admin
 * client, API keys, a pool and an event store of their own to look at the
 * database directly, and the store checker.
 *
 * Fault scenarios use the parts directly: `system.api.kill9()`,
 * `system.worker.kill9()`, `system.postgres.crashImmediate()` /
 * `restartImmediate()`, then `start()` again.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { Agent } from 'node:http';
import pg from 'pg';
import { backgroundSubscribers } from '#commands';
import { openEventStore, parsePosition, type EventStore } from '#event-store';
import type { LogSubscriber } from '#read-models';
import { LedgerClient, connectionPool, issueApiKey } from './ledger-client.js';
import { ServiceProcess, httpReady, logLineReady } from './service-process.js';
import { checkStore, type StoreCheckReport } from './store-checker.js';
import { SystemPostgres } from './system-postgres.js';

/** The repository root, from dist/apps/ledger-system-test/src/harness/ (or the sources' same depth). */
export const REPOSITORY_ROOT = fileURLToPath(new URL('../../../../../', import.meta.url));
const API_ENTRY = join(REPOSITORY_ROOT, 'dist/apps/ledger-api/src/main.js');
const WORKER_ENTRY = join(REPOSITORY_ROOT, 'dist/apps/ledger-worker/src/main.js');
/** The worker prints this once its subscriptions and enforcer run (apps/ledger-worker/src/main.ts). */
const WORKER_READY_LINE = 'Ledger worker running';
/** Far above any scenario's rate: the system test measures the service, not its rate limit (which has its own spec). */
const RATE_LIMIT_PER_MINUTE = '1000000';
const QUIESCE_TIMEOUT_MS = 60_000;

export interface LedgerSystemOptions {
  /** Folder for the processes' logs (kept after the run). */
  readonly logDir: string;
  /** More environment for the API and the worker (LEDGER_APPROVAL_WINDOW_MS, ...). */
  readonly serviceEnv?: Readonly<Record<string, string>>;
}

export class LedgerSystem {
  private subscribers: readonly LogSubscriber[] = [];

  private constructor(
    readonly postgres: SystemPostgres,
    /** The ledger database, as the server's superuser: what the service is given as DATABASE_URL. */
    readonly databaseUrl: string,
    readonly api: ServiceProcess,
    readonly worker: ServiceProcess,
    readonly baseUrl: string,
    readonly adminKey: string,
    readonly agent: Agent,
    /** Direct access for checks and samplers (not the service's connections). */
    readonly pool: pg.Pool,
    readonly store: EventStore,
    readonly logDir: string,
  ) {}

  static async start(options: LedgerSystemOptions): Promise<LedgerSystem> {
    await mkdir(options.logDir, { recursive: true });
    const postgres = new SystemPostgres(await mkdtemp(join(tmpdir(), 'ledger-system-pg-')));
    await postgres.start();
    try {
      const databaseUrl = await postgres.createDatabase('ledger_system');
      const port = await freePort();
      const baseUrl = `http://127.0.0.1:${port}`;
      const adminKey = `system-test-admin-${randomBytes(16).toString('hex')}`;
      const env: Record<string, string> = {
        ...stringEnv(process.env),
        DATABASE_URL: databaseUrl,
        PORT: String(port),
        HOST: '127.0.0.1',
        LEDGER_ADMIN_KEY: adminKey,
        LEDGER_RATE_LIMIT_PER_MINUTE: RATE_LIMIT_PER_MINUTE,
        ...options.serviceEnv,
      };
      delete env.EVENT_STORE;
      delete env.LEDGER_MIGRATION_DATABASE_URL;
      const api = new ServiceProcess({ name: 'api', entry: API_ENTRY, env, logFile: join(options.logDir, 'api.log'), waitUntilReady: httpReady(baseUrl) });
      const worker = new ServiceProcess({ name: 'worker', entry: WORKER_ENTRY, env, logFile: join(options.logDir, 'worker.log'), waitUntilReady: logLineReady(WORKER_READY_LINE) });
      // The API migrates the database at start-up; the worker starts on the migrated schema.
      await api.start();
      await worker.start();
      const pool = new pg.Pool({ connectionString: databaseUrl, max: 8 });
      pool.on('error', () => undefined);
      const store = await openEventStore({ kind: 'postgres', databaseUrl, eventStoreConnectionString: null, poolSize: 4 });
      const system = new LedgerSystem(postgres, databaseUrl, api, worker, baseUrl, adminKey, connectionPool(), pool, store, options.logDir);
      system.subscribers = backgroundSubscribers(store, { expiryMarginMs: 72 * 3_600_000, approvalWindowMs: 48 * 3_600_000 }, () => new Date());
      return system;
    } catch (error) {
      await postgres.stop().catch(() => undefined);
      await postgres.remove().catch(() => undefined);
      throw error;
    }
  }

  /** A client with the admin key. */
  admin(): LedgerClient {
    return new LedgerClient(this.baseUrl, this.adminKey, this.agent);
  }

  /** Issues a key through the admin route and answers a client holding it. */
  async client(role: 'broker' | 'compliance' | 'dashboard' | 'admin', principalId: string): Promise<LedgerClient> {
    return this.admin().as(await issueApiKey(this.admin(), role, principalId));
  }

  /** Exits of the API or the worker that no scenario asked for (crashes). */
  unexpectedExits(): string[] {
    return [...this.api.unexpectedExits, ...this.worker.unexpectedExits];
  }

  /**
   * Waits until every background subscription (the process manager and the
   * projections) has handled every event of the log it is interested in,
   * twice in a row: whatever the process manager still had to write is in.
   */
  async quiesce(timeoutMs = QUIESCE_TIMEOUT_MS): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    let quietRounds = 0;
    for (;;) {
      // Right after a database restart the harness's own idle connections fail once: ask again.
      const behind = await this.subscriptionsBehind().catch((error: unknown) => [`(database: ${error instanceof Error ? error.message : String(error)})`]);
      quietRounds = behind.length === 0 ? quietRounds + 1 : 0;
      if (quietRounds >= 2) return;
      if (performance.now() > deadline) throw new Error(`the background subscriptions did not catch up within ${timeoutMs} ms: ${behind.join(', ')} behind`);
      await sleep(200);
    }
  }

  /**
   * After a scenario: waits for the subscriptions, stops the API and the
   * worker, checks the whole store (store-checker.ts), and starts them again
   * unless told not to.
   */
  async checkStore(options: { restart?: boolean } = {}): Promise<StoreCheckReport> {
    await this.quiesce();
    await this.worker.stop();
    await this.api.stop();
    const report = await checkStore(this.pool, this.store);
    if (options.restart !== false) {
      await this.api.start();
      await this.worker.start();
    }
    return report;
  }

  /** Stops everything and removes the database folder (the logs stay). */
  async close(): Promise<void> {
    await this.worker.stop().catch(() => undefined);
    await this.api.stop().catch(() => undefined);
    this.agent.destroy();
    await this.store.close().catch(() => undefined);
    await this.pool.end().catch(() => undefined);
    await this.postgres.stop().catch(() => undefined);
    await this.postgres.remove();
  }

  private async subscriptionsBehind(): Promise<string[]> {
    const rows = await this.pool.query<{ name: string; commit: string; prepare: string }>(
      'SELECT subscription_name AS name, commit_position::text AS commit, prepare_position::text AS prepare FROM subscription_checkpoints',
    );
    const checkpoints = new Map(rows.rows.map((row) => [row.name, parsePosition(`${row.commit}.${row.prepare}`)!]));
    const behind: string[] = [];
    for (const subscriber of this.subscribers) {
      const checkpoint = checkpoints.get(subscriber.name);
      const next = await this.store.readAll({ after: checkpoint, maxCount: 1, filter: subscriber.filter });
      if (next.length > 0) behind.push(subscriber.name);
    }
    return behind;
  }
}

function stringEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe: Server = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}
