import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '#testing';
import { anEvent, describeEventStoreContract } from '../event-store.contract.js';
import { GENESIS_HASH, hashEvent } from '../hash-chain.js';
import { readCatchUp } from '../catch-up-reader.js';
import { verifyStoredStream } from '../stream-verifier.js';
import type { RecordedEvent } from '../event-store.port.js';
import { eventStoreMigrations } from './event-store-migrations.js';
import { runMigrations } from './migration-runner.js';
import { PostgresEventStore } from './postgres-event-store.js';

let database: TestDatabase;
let pool: pg.Pool;
let store: PostgresEventStore;

beforeAll(async () => {
  database = await createTestDatabase(eventStoreMigrations);
  pool = new pg.Pool({ connectionString: database.url, max: 12 });
  store = new PostgresEventStore(pool);
});

afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

describe('PostgresEventStore: the event store contract', () => {
  describeEventStoreContract({
    open: async () => new PostgresEventStore(new pg.Pool({ connectionString: database.url, max: 12 })),
    refusesIdsStoredInOtherStreams: true,
  });
});

describe('PostgresEventStore: commit order', () => {
  it('holds back an event whose transaction committed after a later position was taken, then delivers both in order', async () => {
    const category = `gap${randomUUID().replaceAll('-', '')}`;
    const slowStream = `${category}-slow`;
    const slowEvent = anEvent('SlowFact');
    const slow = new pg.Client({ connectionString: database.url });
    await slow.connect();
    const delivered: RecordedEvent[] = [];
    const controller = new AbortController();
    try {
      // The slow transaction takes its sequence number first and keeps it uncommitted.
      await slow.query('BEGIN');
      const slowRow = await slow.query<{ seq: string }>(
        `INSERT INTO ledger_events (stream_id, stream_revision, event_id, event_type, data, metadata, prev_hash, hash)
         VALUES ($1, 0, $2, $3, $4, $5, $6, $7) RETURNING global_seq::text AS seq`,
        [
          slowStream,
          slowEvent.id,
          slowEvent.type,
          slowEvent.data,
          slowEvent.metadata,
          GENESIS_HASH,
          hashEvent({ ...slowEvent, streamId: slowStream, revision: 0n, prevHash: GENESIS_HASH }),
        ],
      );
      const fast = await store.append(`${category}-fast`, [anEvent('FastFact')], 'no_stream');
      expect(fast.position.prepare).toBeGreaterThan(BigInt(slowRow.rows[0]!.seq));

      // A reader polling during the gap must neither deliver the later event nor move past it.
      const reading = (async () => {
        for await (const batch of readCatchUp(store, {
          filter: { streamPrefixes: [`${category}-`] },
          pollIntervalMs: 5,
          signal: controller.signal,
        })) {
          delivered.push(...batch);
          if (delivered.length >= 2) controller.abort();
        }
      })();
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(delivered).toEqual([]);

      await slow.query('COMMIT');
      const timeout = setTimeout(() => controller.abort(), 10_000);
      await reading;
      clearTimeout(timeout);

      expect(delivered.map((event) => event.type)).toEqual(['SlowFact', 'FastFact']);
      expect(delivered.map((event) => event.id)).toEqual([slowEvent.id, expect.any(String)]);
    } finally {
      controller.abort();
      await slow.end();
    }
  });
});

describe('PostgresEventStore: single-event appends share inserts under load', () => {
  const transactionsOf = async (streams: readonly string[]): Promise<number> => {
    const result = await pool.query<{ n: number }>('SELECT count(DISTINCT transaction_id)::int AS n FROM ledger_events WHERE stream_id = ANY($1)', [streams]);
    return result.rows[0]!.n;
  };

  it('lands 200 concurrent appends to 200 streams in fewer transactions, each on its own stream with a valid chain', async () => {
    const category = `batched${randomUUID().replaceAll('-', '')}`;
    const streams = Array.from({ length: 200 }, (_, index) => `${category}-${index}`);

    const results = await Promise.all(streams.map((stream, index) => store.append(stream, [anEvent('Opened', { index })], 'no_stream')));
    const next = await Promise.all(streams.map((stream, index) => store.append(stream, [anEvent('Closed', { index })], 0n)));

    expect(results.every((result) => result.nextExpectedRevision === 0n)).toBe(true);
    expect(next.every((result) => result.nextExpectedRevision === 1n)).toBe(true);
    expect(await transactionsOf(streams)).toBeLessThan(200);
    for (const [index, stream] of streams.entries()) {
      const events = await store.readStream(stream);
      expect(events.map((event) => [event.type, event.data])).toEqual([
        ['Opened', { index }],
        ['Closed', { index }],
      ]);
      expect(await verifyStoredStream(store, stream)).toEqual({ valid: true, events: 2 });
    }
  });

  it('refuses only the appends that lost their place when they share an insert with others that land', async () => {
    const category = `mixed${randomUUID().replaceAll('-', '')}`;
    const contested = `${category}-contested`;
    const others = Array.from({ length: 20 }, (_, index) => `${category}-${index}`);

    const outcomes = await Promise.allSettled([
      ...Array.from({ length: 10 }, () => store.append(contested, [anEvent('Claimed')], 'no_stream')),
      ...others.map((stream) => store.append(stream, [anEvent('Opened')], 'no_stream')),
    ]);

    const contestedOutcomes = outcomes.slice(0, 10);
    expect(contestedOutcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    expect(contestedOutcomes.filter((outcome) => outcome.status === 'rejected').map((outcome) => (outcome as PromiseRejectedResult).reason.name)).toEqual(
      Array(9).fill('ConcurrencyError'),
    );
    expect(outcomes.slice(10).every((outcome) => outcome.status === 'fulfilled')).toBe(true);
    expect(await store.readStream(contested)).toHaveLength(1);
  });

  it("fails only the append whose row the database refuses, not the others in its insert", async () => {
    const category = `refused${randomUUID().replaceAll('-', '')}`;
    // jsonb cannot hold the NUL character: only the server finds this out.
    const outcomes = await Promise.allSettled([
      store.append(`${category}-good-1`, [anEvent('Fine')], 'no_stream'),
      store.append(`${category}-bad`, [anEvent('Broken', { note: 'nul \u0000 here' })], 'no_stream'),
      store.append(`${category}-good-2`, [anEvent('Fine')], 'no_stream'),
    ]);

    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await store.readStream(`${category}-bad`)).toEqual([]);
    expect(await store.readStream(`${category}-good-2`)).toHaveLength(1);
  });

  it('appends each event in a transaction of its own when batching is off', async () => {
    const unbatched = new PostgresEventStore(new pg.Pool({ connectionString: database.url, max: 12 }), { appendBatching: false });
    const category = `unbatched${randomUUID().replaceAll('-', '')}`;
    const streams = Array.from({ length: 30 }, (_, index) => `${category}-${index}`);
    try {
      await Promise.all(streams.map((stream) => unbatched.append(stream, [anEvent('Opened')], 'no_stream')));
    } finally {
      await unbatched.close();
    }

    expect(await transactionsOf(streams)).toBe(30);
  });
});

describe('PostgresEventStore: the table refuses change', () => {
  let stream: string;

  beforeAll(async () => {
    stream = `immutable-${randomUUID()}`;
    await store.append(stream, [anEvent('A'), anEvent('B'), anEvent('C')], 'no_stream');
  });

  it.each([
    ['UPDATE', `UPDATE ledger_events SET data = '{"amountCents":"1"}' WHERE stream_id = $1`],
    ['DELETE', `DELETE FROM ledger_events WHERE stream_id = $1`],
  ])('refuses %s', async (operation, sql) => {
    await expect(pool.query(sql, [stream])).rejects.toThrow(`ledger_events is append-only: ${operation} refused`);
    expect(await store.readStream(stream)).toHaveLength(3);
  });

  it('refuses TRUNCATE', async () => {
    await expect(pool.query('TRUNCATE ledger_events')).rejects.toThrow('ledger_events is append-only: TRUNCATE refused');
  });

  it('names the first broken revision when someone bypasses the triggers', async () => {
    const tampered = `tampered-${randomUUID()}`;
    await store.append(tampered, ['A', 'B', 'C', 'D'].map((type) => anEvent(type, { amountCents: '100' })), 'no_stream');
    const client = await pool.connect();
    try {
      // A superuser can switch triggers off; the hash chain still tells.
      await client.query(`SET session_replication_role = replica`);
      await client.query(`UPDATE ledger_events SET data = '{"amountCents":"1"}' WHERE stream_id = $1 AND stream_revision = 2`, [tampered]);
    } finally {
      await client.query(`RESET session_replication_role`);
      client.release();
    }

    expect(await verifyStoredStream(store, tampered)).toEqual({ valid: false, events: 2, brokenAt: 2n, reason: 'hash_mismatch' });
  });
});

describe('PostgresEventStore: closing', () => {
  it('closes once: a second close (a test took the store down, then the app shut down) does nothing', async () => {
    const closable = new PostgresEventStore(new pg.Pool({ connectionString: database.url, max: 2 }));
    await closable.ping();

    await closable.close();

    await expect(closable.close()).resolves.toBeUndefined();
  });
});

describe('PostgresEventStore: schema from migrations', () => {
  it('applies each migration once when several instances start together', async () => {
    const fresh = await createTestDatabase([]);
    try {
      const runs = await Promise.all([1, 2, 3].map(() => runMigrations(fresh.url, eventStoreMigrations)));
      const client = new pg.Client({ connectionString: fresh.url });
      await client.connect();
      const applied = await client.query('SELECT name FROM ledger_migrations');
      await client.end();

      expect(runs.flat()).toEqual(['CreateLedgerEvents1763900000000']);
      expect(applied.rows).toEqual([{ name: 'CreateLedgerEvents1763900000000' }]);
    } finally {
      await fresh.drop();
    }
  });
});
