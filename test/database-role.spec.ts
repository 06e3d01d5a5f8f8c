/**
 * Every runtime path writes as the runtime role, given a superuser's
 * DATABASE_URL (as the embedded default and the tests have): the API's main
 * thread (keys, events), its worker thread (the projections), and the
 * separate worker process. A statement trigger added to this test's database
 * records the role (current_user) of every write to the tables they write.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { readLedgerConfig } from '#configuration';
import { listingStreamId } from '#domain';
import { LEDGER_WRITER_ROLE, PostgresEventStore } from '#event-store';
import { ledgerMigrations } from '#read-models';
import { createTestDatabase, type TestDatabase } from '#testing';
import { startLedgerApi, type RunningLedgerApi } from '../apps/ledger-api/src/ledger-api.js';

const ADMIN_KEY = 'test-admin-key-0123456789abcdef';
const WORKER_MAIN = join(process.cwd(), 'dist/apps/ledger-worker/src/main.js');
const WATCHED_TABLES = ['ledger_events', 'api_keys', 'listing_view', 'subscription_checkpoints'];

let database: TestDatabase;
let admin: pg.Pool;

interface Write {
  readonly table: string;
  readonly role: string;
}

async function writesSince(marker: number): Promise<Write[]> {
  const result = await admin.query<Write>('SELECT DISTINCT table_name AS table, role_name AS role FROM test_write_roles WHERE id > $1 ORDER BY 1, 2', [marker]);
  return result.rows;
}

async function lastWrite(): Promise<number> {
  return (await admin.query<{ id: number }>('SELECT coalesce(max(id), 0)::int AS id FROM test_write_roles')).rows[0]!.id;
}

async function eventually<T>(read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`not reached in ${timeoutMs} ms: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

beforeAll(async () => {
  database = await createTestDatabase(ledgerMigrations);
  admin = new pg.Pool({ connectionString: database.url, max: 2 });
  await admin.query('CREATE TABLE test_write_roles (id bigint GENERATED ALWAYS AS IDENTITY, table_name text NOT NULL, role_name text NOT NULL)');
  // SECURITY INVOKER (the default): current_user is the role of the statement that fired it.
  await admin.query(`
    CREATE FUNCTION test_record_write_role() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO test_write_roles (table_name, role_name) VALUES (TG_TABLE_NAME, current_user);
      RETURN NULL;
    END
    $$`);
  for (const table of WATCHED_TABLES) {
    await admin.query(`CREATE TRIGGER test_record_write_role AFTER INSERT OR UPDATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION test_record_write_role()`);
  }
});

afterAll(async () => {
  await admin?.end();
  await database?.drop();
});

describe('the runtime role on every runtime path', () => {
  let listingId: string;

  it('the API writes keys and events on its main thread, and projects on its worker thread, as the runtime role', async () => {
    const api: RunningLedgerApi = await startLedgerApi(readLedgerConfig({ DATABASE_URL: database.url, PORT: '0', LEDGER_ADMIN_KEY: ADMIN_KEY }));
    try {
      expect(api.database.writer).toMatchObject({ via: 'session_role', loginIsSuperuser: true });
      const post = (url: string, payload: object, key: string) =>
        api.app.inject({ method: 'POST', url, payload, headers: { authorization: `Bearer ${key}` } });
      const issued = await post('/v1/admin/api-keys', { role: 'broker', principalId: 'broker-ana' }, ADMIN_KEY);
      expect(issued.statusCode).toBe(201);
      const submitted = await post(
        '/v1/listings',
        {
          sellerId: 'seller-acme',
          provider: 'openai',
          creditType: 'prepaid_api',
          providerOrgRef: 'org-acme-123',
          faceValueCents: '1000000',
          currency: 'USD',
          creditExpiresAt: '2030-06-01T00:00:00.000Z',
          askPriceCents: '600000',
        },
        issued.json<{ key: string }>().key,
      );
      expect(submitted.statusCode).toBe(201);
      listingId = submitted.json<{ id: string }>().id;
      await eventually(
        () => admin.query('SELECT 1 FROM listing_view WHERE id = $1', [listingId]),
        (found) => found.rowCount === 1,
      );
    } finally {
      await api.close();
    }

    expect(await writesSince(0)).toEqual(WATCHED_TABLES.toSorted().map((table) => ({ table, role: LEDGER_WRITER_ROLE })));
  });

  it('the worker process projects as the runtime role', async () => {
    // Another listing, appended here (as the superuser) while only the worker runs: a copy of the first under a new id.
    const marker = await lastWrite();
    const worker = startWorker();
    try {
      await worker.running;
      const store = new PostgresEventStore(new pg.Pool({ connectionString: database.url, max: 2 }));
      const copyId = randomUUID();
      try {
        const original = await store.readStream(listingStreamId(listingId));
        await store.append(
          listingStreamId(copyId),
          original.map((event) => ({ id: randomUUID(), type: event.type, data: { ...event.data, listingId: copyId }, metadata: event.metadata })),
          'no_stream',
        );
      } finally {
        await store.close();
      }
      await eventually(
        () => admin.query('SELECT 1 FROM listing_view WHERE id = $1', [copyId]),
        (found) => found.rowCount === 1,
      );
    } finally {
      await worker.stop();
    }

    const projected = (await writesSince(marker)).filter(({ table }) => table !== 'ledger_events');
    expect(projected).toEqual([
      { table: 'listing_view', role: LEDGER_WRITER_ROLE },
      { table: 'subscription_checkpoints', role: LEDGER_WRITER_ROLE },
    ]);
  });
});

function startWorker(): { running: Promise<void>; stop(): Promise<void> } {
  const child: ChildProcess = spawn(process.execPath, [WORKER_MAIN], {
    env: { PATH: process.env['PATH'], DATABASE_URL: database.url },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const running = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      if (output.includes('Ledger worker running')) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then(() => reject(new Error(`the worker exited before it was running:\n${output}`)));
  });
  return {
    running,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
