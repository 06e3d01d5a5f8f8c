import pg from 'pg';
import { DEFAULT_BACKGROUND_STATEMENT_TIMEOUT_MS } from '#configuration';
import { openEventStore, type EventStore, type EventStoreSettings } from '#event-store';
import { ledgerMigrations } from '#read-models';
import { createTestDatabase, type TestDatabase } from '#testing';
import { startBackgroundSubscriptions, type BackgroundSubscriptions } from './background-subscriptions.js';

const POLICIES = { expiryMarginMs: 72 * 3_600_000, approvalWindowMs: 48 * 3_600_000 };
const NAMES = ['reservation-process-manager', 'listing-view', 'deal-view', 'journal', 'buy-request-view'];

let database: TestDatabase;
let storeSettings: EventStoreSettings;
let store: EventStore;

beforeAll(async () => {
  database = await createTestDatabase(ledgerMigrations);
  storeSettings = { kind: 'postgres', databaseUrl: database.url, eventStoreConnectionString: null };
  store = await openEventStore(storeSettings);
});

afterAll(async () => {
  await store?.close();
  await database?.drop();
});

async function eventually<T>(read: () => T, accept: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (accept(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function leaders(): Promise<number> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    const result = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 2 AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`);
    return result.rows[0]!.n;
  } finally {
    await client.end();
  }
}

describe('background subscriptions of an API instance', () => {
  it('run in a worker thread when no clock is injected: every subscription leads there, its status crosses to the main thread, and stop ends it', async () => {
    const background: BackgroundSubscriptions = startBackgroundSubscriptions({ store, storeSettings, databaseUrl: database.url, policies: POLICIES, statementTimeoutMs: DEFAULT_BACKGROUND_STATEMENT_TIMEOUT_MS });
    try {
      await background.started;
      const statuses = await eventually(background.statuses, (all) => all.every((status) => status.state === 'running'));
      expect(statuses.map((status) => [status.name, status.state])).toEqual(NAMES.map((name) => [name, 'running']));
      expect([...background.filters.keys()]).toEqual(NAMES);
      expect(await leaders()).toBe(NAMES.length);
    } finally {
      await background.stop();
    }
    // The thread let go of its leader locks: another instance takes over.
    expect(await leaders()).toBe(0);
  });

  it('says the thread could not start, instead of serving without projections', async () => {
    const unreachable: EventStoreSettings = { kind: 'eventstoredb', databaseUrl: database.url, eventStoreConnectionString: null };
    const background = startBackgroundSubscriptions({ store, storeSettings: unreachable, databaseUrl: database.url, policies: POLICIES, statementTimeoutMs: DEFAULT_BACKGROUND_STATEMENT_TIMEOUT_MS });

    await expect(background.started).rejects.toThrow(/background thread/);
    expect(background.statuses().every((status) => status.state === 'failed')).toBe(true);
    await background.stop();
  });

  it('run on the main thread with an injected clock', async () => {
    const background = startBackgroundSubscriptions({ store, storeSettings, databaseUrl: database.url, policies: POLICIES, statementTimeoutMs: DEFAULT_BACKGROUND_STATEMENT_TIMEOUT_MS, clock: () => new Date('2026-11-23T10:00:00.000Z') });
    try {
      await background.started;
      const statuses = await eventually(background.statuses, (all) => all.every((status) => status.state === 'running'));
      expect(statuses.map((status) => status.state)).toEqual(NAMES.map(() => 'running'));
    } finally {
      await background.stop();
    }
  });
});
