/**
 * buy_request_view, as a specification: given the facts the write side
 * records, then the rows. The events are decided by the domain's own
 * decider (what the write side would record) and projected by a durable
 * subscription in small batches.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { buyRequestDecider, buyRequestStreamId, foldBuyRequestEvents, type BuyRequestCommand, type BuyRequestState } from '#domain';
import { PostgresEventStore, comparePositions, type EventStore, type EventToAppend, type LogPosition } from '#event-store';
import { createTestDatabase, decideEvents, type TestDatabase } from '#testing';
import { ledgerMigrations } from '../database/ledger-migrations.js';
import { DurableSubscription } from '../subscriptions/durable-subscription.js';
import { buyRequestViewProjection } from './buy-request-view.js';

let database: TestDatabase;
let pool: pg.Pool;
let store: EventStore;

beforeAll(async () => {
  database = await createTestDatabase(ledgerMigrations);
  pool = new pg.Pool({ connectionString: database.url, max: 8 });
  store = new PostgresEventStore(new pg.Pool({ connectionString: database.url, max: 8 }));
});

afterAll(async () => {
  await pool?.end();
  await store?.close();
  await database?.drop();
});

const PLACED_AT = new Date('2026-11-23T10:00:00.000Z');
const DEADLINE = new Date('2026-12-23T10:00:00.000Z');
const metadata = () => ({ actorId: 'broker-ana', actorRole: 'broker', correlationId: randomUUID(), causationId: null, occurredAt: PLACED_AT.toISOString(), schemaVersion: 1 });

/** Each command decided at its own moment, in order, then the whole stream appended: what the write side would have recorded. */
async function given(buyRequestId: string, steps: ReadonlyArray<readonly [Date, BuyRequestCommand]>): Promise<void> {
  let state: BuyRequestState = buyRequestDecider.initialState;
  const events: EventToAppend[] = [];
  for (const [now, command] of steps) {
    const decided = decideEvents(buyRequestDecider, [command], now, metadata, state);
    state = decided.state;
    events.push(...decided.events);
  }
  const { position } = await store.append(buyRequestStreamId(buyRequestId), events, 'no_stream');
  if (appendedUpTo === null || comparePositions(position, appendedUpTo) > 0) appendedUpTo = position;
}

/**
 * The position of the last event this file appended. Not the store's head: that is the last event below the
 * oldest transaction still open anywhere on the server, which another test file's open batch may hold back.
 */
let appendedUpTo: LogPosition | null = null;

const place = (buyRequestId: string): BuyRequestCommand => ({
  type: 'PlaceBuyRequest',
  placedBy: 'broker-ana',
  buyRequestId,
  buyerId: 'buyer-globex',
  provider: 'openai',
  creditTypes: ['prepaid_api', 'startup_program'],
  faceValueCents: 1_000_000n,
  maxPriceBps: 6_000,
  minValidityDays: 30,
  deadline: DEADLINE,
});

const at = (iso: string) => new Date(iso);

async function project(): Promise<void> {
  const head = appendedUpTo;
  const subscription = new DurableSubscription(pool, store, buyRequestViewProjection(), { pollIntervalMs: 10, batchSize: 2 });
  subscription.start();
  try {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const position = subscription.status().position;
      if (head !== null && position !== null && comparePositions(position, head) >= 0) return;
      if (Date.now() > deadline) throw new Error(`buy-request-view did not catch up: ${subscription.status().state} ${subscription.status().error ?? ''}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  } finally {
    await subscription.stop();
  }
}

async function row(id: string): Promise<Record<string, unknown> | undefined> {
  return (await pool.query(`SELECT * FROM buy_request_view WHERE id = $1`, [id])).rows[0];
}

describe('buy_request_view', () => {
  it('given a request placed, then an open row with the terms and nothing filled', async () => {
    const id = randomUUID();
    await given(id, [[PLACED_AT, place(id)]]);
    await project();
    expect(await row(id)).toEqual({
      id,
      state: expect.any(Object),
      stream_revision: '0',
      status: 'open',
      buyer_id: 'buyer-globex',
      provider: 'openai',
      credit_types: ['prepaid_api', 'startup_program'],
      market_keys: ['openai:prepaid_api', 'openai:startup_program'],
      face_value_cents: '1000000',
      filled_face_value_cents: '0',
      unfilled_face_value_cents: '1000000',
      max_price_bps: 6_000,
      min_validity_days: 30,
      deadline: DEADLINE,
      placed_at: PLACED_AT,
      first_filled_at: null,
      closed_at: null,
    });
  });

  it('given fills, an amendment and the last fill, then a filled row that remembers its first fill', async () => {
    const id = randomUUID();
    await given(id, [
      [PLACED_AT, place(id)],
      [at('2026-11-24T08:00:00.000Z'), { type: 'RecordBuyRequestFill', buyRequestId: id, dealId: 'deal-1', faceValueCents: 400_000n }],
      [at('2026-11-25T08:00:00.000Z'), { type: 'AmendBuyRequest', buyRequestId: id, maxPriceBps: 6_500, creditTypes: ['fine_tuning'] }],
      [at('2026-11-26T08:00:00.000Z'), { type: 'RecordBuyRequestFill', buyRequestId: id, dealId: 'deal-2', faceValueCents: 600_000n }],
    ]);
    await project();
    expect(await row(id)).toMatchObject({
      stream_revision: '3',
      status: 'filled',
      credit_types: ['fine_tuning'],
      market_keys: ['openai:fine_tuning'],
      max_price_bps: 6_500,
      filled_face_value_cents: '1000000',
      unfilled_face_value_cents: '0',
      first_filled_at: at('2026-11-24T08:00:00.000Z'),
      closed_at: at('2026-11-26T08:00:00.000Z'),
    });
  });

  it('given the first fill released, then open again with the face value wanted again, and the first fill time kept', async () => {
    const id = randomUUID();
    await given(id, [
      [PLACED_AT, place(id)],
      [at('2026-11-24T08:00:00.000Z'), { type: 'RecordBuyRequestFill', buyRequestId: id, dealId: 'deal-1', faceValueCents: 1_000_000n }],
      [at('2026-11-25T08:00:00.000Z'), { type: 'ReleaseBuyRequestFill', buyRequestId: id, dealId: 'deal-1' }],
    ]);
    await project();
    expect(await row(id)).toMatchObject({
      status: 'open',
      filled_face_value_cents: '0',
      unfilled_face_value_cents: '1000000',
      first_filled_at: at('2026-11-24T08:00:00.000Z'),
      closed_at: null,
    });
  });

  it('given a filled request whose fill is reduced, then open again with the difference wanted again', async () => {
    const id = randomUUID();
    await given(id, [
      [PLACED_AT, place(id)],
      [at('2026-11-24T08:00:00.000Z'), { type: 'RecordBuyRequestFill', buyRequestId: id, dealId: 'deal-1', faceValueCents: 1_000_000n }],
      [at('2026-11-25T08:00:00.000Z'), { type: 'ReduceBuyRequestFill', buyRequestId: id, dealId: 'deal-1', faceValueCents: 700_000n }],
    ]);
    await project();
    expect(await row(id)).toMatchObject({
      stream_revision: '2',
      status: 'open',
      filled_face_value_cents: '700000',
      unfilled_face_value_cents: '300000',
      first_filled_at: at('2026-11-24T08:00:00.000Z'),
      closed_at: null,
    });
  });

  it('given a cancellation, then a cancelled row closed at that moment; given an expiry, an expired one', async () => {
    const [cancelled, expired] = [randomUUID(), randomUUID()];
    await given(cancelled, [
      [PLACED_AT, place(cancelled)],
      [at('2026-11-27T08:00:00.000Z'), { type: 'CancelBuyRequest', buyRequestId: cancelled, reason: 'bought elsewhere' }],
    ]);
    await given(expired, [
      [PLACED_AT, place(expired)],
      [at('2026-12-23T10:00:00.001Z'), { type: 'ExpireBuyRequest', buyRequestId: expired }],
    ]);
    await project();
    expect(await row(cancelled)).toMatchObject({ status: 'cancelled', closed_at: at('2026-11-27T08:00:00.000Z'), unfilled_face_value_cents: '1000000' });
    expect(await row(expired)).toMatchObject({ status: 'expired', closed_at: at('2026-12-23T10:00:00.001Z') });
  });

  it('holds exactly the fold of the stream, and rebuilds to byte-identical rows from the start of the log', async () => {
    const id = randomUUID();
    await given(id, [
      [PLACED_AT, place(id)],
      [at('2026-11-24T08:00:00.000Z'), { type: 'RecordBuyRequestFill', buyRequestId: id, dealId: 'deal-1', faceValueCents: 250_000n }],
      [at('2026-11-25T08:00:00.000Z'), { type: 'AmendBuyRequest', buyRequestId: id, faceValueCents: 900_000n }],
    ]);
    await project();
    const folded = foldBuyRequestEvents((await store.readStream(buyRequestStreamId(id))).map((event) => buyRequestDecider.decode(event)));
    expect(folded).toMatchObject({ status: 'open', faceValueCents: 900_000n, filledFaceValueCents: 250_000n });
    expect(await row(id)).toMatchObject({ face_value_cents: '900000', filled_face_value_cents: '250000', unfilled_face_value_cents: '650000' });
    const before = (await pool.query(`SELECT t::text AS row FROM buy_request_view t ORDER BY id`)).rows;

    await pool.query(`DELETE FROM buy_request_view; DELETE FROM subscription_checkpoints WHERE subscription_name = 'buy-request-view'`);
    await project();

    expect((await pool.query(`SELECT t::text AS row FROM buy_request_view t ORDER BY id`)).rows).toEqual(before);
  });
});
