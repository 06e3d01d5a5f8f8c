import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { PostgresEventStore, eventStoreMigrations, type RecordedEvent } from '#event-store';
import { createTestDatabase, type TestDatabase } from '#testing';
import { CreateSubscriptionCheckpoints1764100000002 } from '../database/migrations/1764100000002-create-subscription-checkpoints.js';
import { DurableSubscription, type LogSubscriber } from './durable-subscription.js';

let database: TestDatabase;
let pool: pg.Pool;
let store: PostgresEventStore;

beforeAll(async () => {
  database = await createTestDatabase([...eventStoreMigrations, CreateSubscriptionCheckpoints1764100000002]);
  pool = new pg.Pool({ connectionString: database.url, max: 10 });
  store = new PostgresEventStore(new pg.Pool({ connectionString: database.url, max: 10 }));
  // A stand-in read model: one row per event applied, so applying an event twice breaks the primary key.
  await pool.query('CREATE TABLE applied (subscription text, event_id uuid, PRIMARY KEY (subscription, event_id))');
});

afterAll(async () => {
  await pool?.end();
  await store?.close();
  await database?.drop();
});

const fast = { pollIntervalMs: 10, standbyRetryMs: 30, retryBaseMs: 5 };

function recordingSubscriber(name: string, category: string, fail: (event: RecordedEvent) => boolean = () => false): LogSubscriber {
  return {
    name,
    filter: { streamPrefixes: [`${category}-`] },
    async handle(events, transaction) {
      for (const event of events) {
        await transaction.query('INSERT INTO applied VALUES ($1, $2)', [name, event.id]);
        if (fail(event)) throw new Error(`cannot apply ${event.type}`);
      }
    },
  };
}

async function appendEvents(category: string, count: number): Promise<void> {
  for (let index = 0; index < count; index += 1) {
    await store.append(`${category}-${index % 3}`, [{
      id: randomUUID(),
      type: 'Counted',
      data: { index },
      metadata: { actorId: 'test', actorRole: 'system', correlationId: randomUUID(), causationId: null, occurredAt: '2026-11-23T10:00:00.000Z', schemaVersion: 1 },
    }], 'any');
  }
}

async function appliedCount(name: string): Promise<number> {
  const result = await pool.query<{ count: string }>('SELECT count(*) FROM applied WHERE subscription = $1', [name]);
  return Number(result.rows[0]!.count);
}

async function eventually(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('DurableSubscription', () => {
  it('applies every event once with its checkpoint, and resumes where it stopped', async () => {
    const category = `sub${randomUUID().replaceAll('-', '')}`;
    const name = `projection-${category}`;
    await appendEvents(category, 25);

    const first = new DurableSubscription(pool, store, recordingSubscriber(name, category), { ...fast, batchSize: 7 });
    first.start();
    await eventually(async () => (await appliedCount(name)) === 25);
    await first.stop();
    await appendEvents(category, 5);
    const second = new DurableSubscription(pool, store, recordingSubscriber(name, category), fast);
    second.start();
    await eventually(async () => (await appliedCount(name)) === 30);
    await second.stop();

    expect(second.status()).toMatchObject({ state: 'stopped', error: null });
    const [last] = (await store.readAll({ filter: { streamPrefixes: [`${category}-`] } })).slice(-1);
    expect(second.status().position).toEqual(last!.position);
  });

  it('rolls back a failing batch and retries it, so a transient failure applies nothing twice', async () => {
    const category = `sub${randomUUID().replaceAll('-', '')}`;
    const name = `projection-${category}`;
    await appendEvents(category, 10);
    let failedAttempts = 0;
    const subscription = new DurableSubscription(
      pool,
      store,
      recordingSubscriber(name, category, (event) => event.data.index === 4 && failedAttempts < 2 && ++failedAttempts > 0),
      fast,
    );

    subscription.start();
    await eventually(async () => (await appliedCount(name)) === 10);
    await subscription.stop();

    expect(failedAttempts).toBe(2);
    expect(subscription.status().state).toBe('stopped');
  });

  it('stops and says why when a batch keeps failing, without moving its checkpoint', async () => {
    const category = `sub${randomUUID().replaceAll('-', '')}`;
    const name = `projection-${category}`;
    await appendEvents(category, 3);
    const subscription = new DurableSubscription(pool, store, recordingSubscriber(name, category, () => true), { ...fast, maxBatchAttempts: 3 });

    subscription.start();
    await eventually(async () => subscription.status().state === 'failed');
    await subscription.stop();

    expect(subscription.status()).toMatchObject({ state: 'failed', position: null });
    expect(subscription.status().error).toMatch(/stopped after 3 attempts .*cannot apply Counted/);
    expect(await appliedCount(name)).toBe(0);
  });

  it('lets one instance lead; another takes over from the checkpoint when it stops', async () => {
    const category = `sub${randomUUID().replaceAll('-', '')}`;
    const name = `projection-${category}`;
    await appendEvents(category, 10);
    const one = new DurableSubscription(pool, store, recordingSubscriber(name, category), fast);
    const two = new DurableSubscription(pool, store, recordingSubscriber(name, category), fast);

    one.start();
    await eventually(async () => (await appliedCount(name)) === 10);
    two.start();
    await eventually(async () => two.status().state === 'standby');
    await one.stop();
    await appendEvents(category, 4);
    await eventually(async () => (await appliedCount(name)) === 14);
    await two.stop();

    expect(two.status().state).toBe('stopped');
  });
});
