import { randomUUID } from 'node:crypto';
import pg from 'pg';
import {
  buyRequestDeadlines,
  buyRequestDecider,
  buyRequestStreamId,
  dealDeadlines,
  dealDecider,
  dealStreamId,
  deadlineExpiryKey,
  listingDeadlines,
  listingDecider,
  listingStreamId,
  type BuyRequestCommand,
  type DealCommand,
  type ListingCommand,
  type OpenDeadline,
} from '#domain';
import { PostgresEventStore, comparePositions, type EventStore, type EventToAppend, type JsonObject, type LogPosition } from '#event-store';
import { createTestDatabase, type EncodingDecider, type TestDatabase } from '#testing';
import { ledgerMigrations } from '../database/ledger-migrations.js';
import { buyRequestViewProjection } from '../projections/buy-request-view.js';
import { DEAL_VIEW, dealViewProjection } from '../projections/deal-view.js';
import { listingViewProjection } from '../projections/listing-view.js';
import { findRebuildableProjection, rebuildProjection, type RebuildableProjection } from '../rebuild/projection-rebuild.js';
import { DurableSubscription, type LogSubscriber } from '../subscriptions/durable-subscription.js';
import { advisoryLeadership, postgresDueDeadlines } from './due-deadlines.js';

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

const NOW = new Date('2026-11-23T10:00:00.000Z');
const CREDIT_EXPIRY = new Date('2027-06-01T00:00:00.000Z');
const HOUR_MS = 3_600_000;
const metadata = (): EventToAppend['metadata'] => ({ actorId: 'broker-ana', actorRole: 'broker', correlationId: randomUUID(), causationId: null, occurredAt: NOW.toISOString(), schemaVersion: 1 });

/** Read, decide, append, as the write side does (without its handlers: the read side may not use them). */
async function record<State, Command, Event>(decider: EncodingDecider<State, Command, Event> & { decode(stored: { type: string; data: Record<string, unknown> }): Event }, streamId: string, commands: readonly Command[], now = NOW): Promise<void> {
  const stored = await store.readStream(streamId);
  let state = stored.reduce((folded, event) => decider.evolve(folded, decider.decode(event)), decider.initialState);
  const events: EventToAppend[] = [];
  for (const command of commands) {
    for (const event of decider.decide(state, command, now)) {
      state = decider.evolve(state, event);
      const { type, data } = decider.encode(event);
      events.push({ id: randomUUID(), type, data: data as JsonObject, metadata: metadata() });
    }
  }
  if (events.length > 0) await store.append(streamId, events, stored.at(-1)?.revision ?? 'no_stream');
}

const match = { buyerId: 'buyer-globex', brokerId: 'broker-ana', commissionBps: 1_000, buyRequestId: null };

function submitted(listingId: string, creditExpiresAt = CREDIT_EXPIRY): ListingCommand[] {
  return [
    {
      type: 'SubmitListing',
      submittedBy: 'broker-ana',
      listingId,
      sellerId: 'seller-acme',
      provider: 'openai',
      creditType: 'prepaid_api',
      providerOrgRef: 'org-1',
      currency: 'USD',
      claimedFaceValueCents: 1_000_000n,
      creditExpiresAt,
      askPriceCents: 600_000n,
    },
  ];
}

function verified(listingId: string, verifiedExpiresAt = CREDIT_EXPIRY): ListingCommand[] {
  return [
    ...submitted(listingId, new Date(verifiedExpiresAt.getTime() + 24 * HOUR_MS)),
    {
      type: 'VerifyListing',
      listingId,
      verifiedBy: 'broker-ana',
      verifiedFaceValueCents: 900_000n,
      verifiedExpiresAt,
      evidence: { method: 'dashboard', reference: 'shot-1', checkedAt: NOW },
    },
  ];
}

function opened(dealId: string, listingId = randomUUID()): DealCommand[] {
  return [
    {
      type: 'OpenDeal',
      dealId,
      listingId,
      sellerId: 'seller-acme',
      buyerId: 'buyer-globex',
      brokerId: 'broker-ana',
      currency: 'USD',
      faceValueCents: 200_000n,
      priceCents: 120_000n,
      commissionBps: 1_000,
      creditExpiresAt: CREDIT_EXPIRY,
    },
  ];
}

const approvals = (dealId: string, termsVersion = 1): DealCommand[] => [
  { type: 'ApproveDeal', dealId, party: 'seller', termsVersion, approvedBy: 'seller-contact' },
  { type: 'ApproveDeal', dealId, party: 'buyer', termsVersion, approvedBy: 'buyer-contact' },
];

function placed(buyRequestId: string, deadline: Date): BuyRequestCommand[] {
  return [{ type: 'PlaceBuyRequest', placedBy: 'broker-ana', buyRequestId, buyerId: 'buyer-globex', provider: 'openai', creditTypes: ['prepaid_api'], faceValueCents: 500_000n, maxPriceBps: 7_000, minValidityDays: 30, deadline }];
}

/** The three stream views, which keep the deadlines of their streams. */
const deadlineKeepers = (): LogSubscriber[] => [listingViewProjection(), dealViewProjection(), buyRequestViewProjection()];

async function project(subscribers: LogSubscriber[] = deadlineKeepers(), batchSize = 3): Promise<void> {
  const head = await store.headPosition();
  const subscriptions = subscribers.map((subscriber) => new DurableSubscription(pool, store, subscriber, { pollIntervalMs: 10, batchSize }));
  for (const subscription of subscriptions) subscription.start();
  try {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const statuses = subscriptions.map((subscription) => subscription.status());
      const failed = statuses.find((status) => status.state === 'failed');
      if (failed !== undefined) throw new Error(`${failed.name} failed: ${failed.error}`);
      if (head !== null && statuses.every(({ position }) => position !== null && comparePositions(position, head) >= 0)) return;
      if (Date.now() > deadline) throw new Error(`the views did not catch up: ${statuses.map((status) => `${status.name} ${status.state}`).join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  } finally {
    await Promise.all(subscriptions.map((subscription) => subscription.stop()));
  }
}

interface Row {
  readonly kind: string;
  readonly deadlineAt: string;
  readonly expiryKey: string;
}

async function rowsOf(streamId: string): Promise<Row[]> {
  const result = await pool.query<{ kind: string; deadline_at: Date; expiry_key: string }>('SELECT kind, deadline_at, expiry_key FROM deadlines WHERE stream_id = $1 ORDER BY kind', [streamId]);
  return result.rows.map((row) => ({ kind: row.kind, deadlineAt: row.deadline_at.toISOString(), expiryKey: row.expiry_key }));
}

const row = (streamId: string, deadline: OpenDeadline): Row => ({ kind: deadline.kind, deadlineAt: deadline.deadlineAt.toISOString(), expiryKey: deadlineExpiryKey(streamId, deadline) });

/** Every open deadline the log's streams hold, folded in memory with the domain's functions: what the table must equal. */
async function foldOfTheLog(): Promise<string[]> {
  const rows: string[] = [];
  const streams = new Map<string, string>();
  let after: LogPosition | undefined;
  for (;;) {
    const page = await store.readAll({ after, maxCount: 500 });
    if (page.length === 0) break;
    for (const event of page) streams.set(event.streamId, event.streamId);
    after = page.at(-1)!.position;
  }
  for (const streamId of streams.keys()) {
    const events = await store.readStream(streamId);
    let deadlines: OpenDeadline[];
    if (streamId.startsWith('listing-')) deadlines = listingDeadlines(events.reduce((state, event) => listingDecider.evolve(state, listingDecider.decode(event)), listingDecider.initialState));
    else if (streamId.startsWith('deal-')) deadlines = dealDeadlines(events.reduce((state, event) => dealDecider.evolve(state, dealDecider.decode(event)), dealDecider.initialState));
    else if (streamId.startsWith('buy-request-')) deadlines = buyRequestDeadlines(events.reduce((state, event) => buyRequestDecider.evolve(state, buyRequestDecider.decode(event)), buyRequestDecider.initialState));
    else deadlines = [];
    for (const deadline of deadlines) rows.push(`${streamId} ${deadline.kind} ${deadline.deadlineAt.toISOString()} ${deadlineExpiryKey(streamId, deadline)}`);
  }
  return rows.sort();
}

async function theTable(): Promise<string[]> {
  const result = await pool.query<{ line: string }>(
    `SELECT stream_id || ' ' || kind || ' ' || to_char(deadline_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || ' ' || expiry_key AS line FROM deadlines`,
  );
  return result.rows.map((r) => r.line).sort();
}

async function dump(): Promise<string[]> {
  const dumps: string[] = [];
  for (const table of ['deadlines', 'listing_view', 'deal_view', 'buy_request_view']) {
    const result = await pool.query<{ row: string }>(`SELECT t::text AS row FROM ${table} t ORDER BY t::text COLLATE "C"`);
    dumps.push(`${table}\n${result.rows.map((r) => r.row).join('\n')}`);
  }
  return dumps;
}

describe('the deadlines the stream views keep', () => {
  it('holds a listing\'s matchable-until deadline at its credit expiry, moved by the verification, and drops it when the listing closes', async () => {
    const [open, withdrawn, soldOut] = [randomUUID(), randomUUID(), randomUUID()];
    await record(listingDecider, listingStreamId(open), submitted(open, new Date('2027-09-01T00:00:00.000Z')));
    await record(listingDecider, listingStreamId(withdrawn), verified(withdrawn));
    await record(listingDecider, listingStreamId(soldOut), [
      ...verified(soldOut),
      { type: 'ReserveListing', listingId: soldOut, dealId: 'deal-1', faceValueCents: 900_000n, priceCents: 500_000n, match },
    ]);
    await project();
    expect(await rowsOf(listingStreamId(open))).toEqual([row(listingStreamId(open), { kind: 'listing_matchable_until', deadlineAt: new Date('2027-09-01T00:00:00.000Z') })]);
    // Verified: the deadline moves from the claimed expiry to the verified one (another key).
    expect(await rowsOf(listingStreamId(withdrawn))).toEqual([row(listingStreamId(withdrawn), { kind: 'listing_matchable_until', deadlineAt: CREDIT_EXPIRY })]);
    expect(await rowsOf(listingStreamId(soldOut))).toHaveLength(1);

    await record(listingDecider, listingStreamId(withdrawn), [{ type: 'WithdrawListing', listingId: withdrawn, reason: 'sold elsewhere' }]);
    await record(listingDecider, listingStreamId(soldOut), [{ type: 'SellListingReservation', listingId: soldOut, dealId: 'deal-1', faceValueCents: 900_000n }]);
    await record(listingDecider, listingStreamId(open), [{ type: 'ExpireListing', listingId: open }], new Date('2027-09-01T00:00:00.000Z'));
    await project();
    expect(await rowsOf(listingStreamId(withdrawn))).toEqual([]);
    expect(await rowsOf(listingStreamId(soldOut))).toEqual([]);
    expect(await rowsOf(listingStreamId(open))).toEqual([]);
  });

  it('holds a deal\'s approval deadline until both approve, again after an amendment, and its credit expiry until delivery or the end', async () => {
    const [dealId, disputed, expired] = [randomUUID(), randomUUID(), randomUUID()];
    const approvalDeadline = new Date(NOW.getTime() + 48 * HOUR_MS);
    const approval: OpenDeadline = { kind: 'deal_approval', deadlineAt: approvalDeadline };
    const creditExpiry: OpenDeadline = { kind: 'deal_credit_expiry', deadlineAt: CREDIT_EXPIRY };
    await record(dealDecider, dealStreamId(dealId), opened(dealId));
    await record(dealDecider, dealStreamId(disputed), [...opened(disputed), ...approvals(disputed)]);
    await record(dealDecider, dealStreamId(expired), opened(expired));
    await project();
    expect(await rowsOf(dealStreamId(dealId))).toEqual([row(dealStreamId(dealId), approval), row(dealStreamId(dealId), creditExpiry)]);
    expect(await rowsOf(dealStreamId(disputed))).toEqual([row(dealStreamId(disputed), creditExpiry)]);

    await record(dealDecider, dealStreamId(dealId), approvals(dealId));
    await record(dealDecider, dealStreamId(disputed), [{ type: 'DisputeDeal', dealId: disputed, reason: 'terms' }]);
    await record(dealDecider, dealStreamId(expired), [{ type: 'ExpireDeal', dealId: expired }], approvalDeadline);
    await project();
    expect(await rowsOf(dealStreamId(dealId))).toEqual([row(dealStreamId(dealId), creditExpiry)]);
    expect(await rowsOf(dealStreamId(disputed))).toEqual([]);
    expect(await rowsOf(dealStreamId(expired))).toEqual([]);

    // New terms void the approvals: the (unmoved) approval deadline is open again.
    await record(dealDecider, dealStreamId(dealId), [{ type: 'AmendDealTerms', dealId, priceCents: 110_000n, reservedFaceValueCents: 200_000n }]);
    await project();
    expect(await rowsOf(dealStreamId(dealId))).toEqual([row(dealStreamId(dealId), approval), row(dealStreamId(dealId), creditExpiry)]);

    await record(dealDecider, dealStreamId(dealId), [
      ...approvals(dealId, 2),
      { type: 'ReceiveBuyerPayment', dealId, amountCents: 110_000n, paymentRef: 'wire-1' },
      { type: 'StartCreditTransfer', dealId, mechanism: 'organization_membership', reference: 'invite-1' },
    ]);
    await project();
    expect(await rowsOf(dealStreamId(dealId))).toEqual([row(dealStreamId(dealId), creditExpiry)]);
    await record(dealDecider, dealStreamId(dealId), [{ type: 'ConfirmCreditTransfer', dealId, confirmedFaceValueCents: 200_000n, evidence: { method: 'console', reference: 'member' } }]);
    await project();
    expect(await rowsOf(dealStreamId(dealId))).toEqual([]);
  });

  it('holds a buy request\'s deadline, moves it with an amendment (a new expiry key), and drops it when the request closes', async () => {
    const [requestId, cancelled] = [randomUUID(), randomUUID()];
    const first = new Date('2027-01-01T00:00:00.000Z');
    const moved = new Date('2027-02-01T00:00:00.000Z');
    await record(buyRequestDecider, buyRequestStreamId(requestId), placed(requestId, first));
    await record(buyRequestDecider, buyRequestStreamId(cancelled), placed(cancelled, first));
    await project();
    const before = await rowsOf(buyRequestStreamId(requestId));
    expect(before).toEqual([row(buyRequestStreamId(requestId), { kind: 'buy_request_deadline', deadlineAt: first })]);

    await record(buyRequestDecider, buyRequestStreamId(requestId), [{ type: 'AmendBuyRequest', buyRequestId: requestId, deadline: moved }]);
    await record(buyRequestDecider, buyRequestStreamId(cancelled), [{ type: 'CancelBuyRequest', buyRequestId: cancelled, reason: 'bought elsewhere' }]);
    await project();
    const after = await rowsOf(buyRequestStreamId(requestId));
    expect(after).toEqual([row(buyRequestStreamId(requestId), { kind: 'buy_request_deadline', deadlineAt: moved })]);
    expect(after[0]!.expiryKey).not.toBe(before[0]!.expiryKey);
    expect(await rowsOf(buyRequestStreamId(cancelled))).toEqual([]);
  });

  it('equals the fold of the log after redelivery and after a crash mid-batch, and rebuilds byte for byte', async () => {
    for (let n = 0; n < 4; n += 1) {
      const dealId = randomUUID();
      await record(dealDecider, dealStreamId(dealId), n % 2 === 0 ? opened(dealId) : [...opened(dealId), ...approvals(dealId)]);
    }
    const inner = dealViewProjection();
    let crashes = 0;
    const crashingOnce: LogSubscriber = {
      name: DEAL_VIEW,
      async handle(events, transaction) {
        await inner.handle(events, transaction);
        if (crashes === 0) {
          crashes += 1;
          throw new Error('crash after the batch was written, before its checkpoint');
        }
      },
    };
    await project([listingViewProjection(), crashingOnce, buyRequestViewProjection()], 5);
    expect(crashes).toBe(1);
    expect(await theTable()).toEqual(await foldOfTheLog());

    // The same events handled twice in new transactions (no checkpoint's help): nothing moves.
    const dealId = randomUUID();
    await record(dealDecider, dealStreamId(dealId), opened(dealId));
    const batch = await store.readStream(dealStreamId(dealId));
    const client = await pool.connect();
    try {
      for (let delivery = 0; delivery < 2; delivery += 1) {
        await client.query('BEGIN');
        await dealViewProjection().handle(batch, client);
        await client.query('COMMIT');
      }
    } finally {
      client.release();
    }
    await project();
    expect(await theTable()).toEqual(await foldOfTheLog());

    const before = await dump();
    await pool.query(`TRUNCATE deadlines, listing_view, deal_view, buy_request_view; DELETE FROM subscription_checkpoints WHERE subscription_name IN ('listing-view', 'deal-view', 'buy-request-view')`);
    await project(deadlineKeepers(), 1_000);
    expect(await dump()).toEqual(before);
  });
});

describe('rebuilding one stream view', () => {
  it('empties and refolds the deadlines of its own streams only', async () => {
    const [listingId, dealId] = [randomUUID(), randomUUID()];
    await record(listingDecider, listingStreamId(listingId), submitted(listingId));
    await record(dealDecider, dealStreamId(dealId), opened(dealId));
    await project();
    const before = await theTable();
    expect(before.some((line) => line.startsWith('listing-'))).toBe(true);
    expect(before.some((line) => line.startsWith('deal-'))).toBe(true);

    const emptied: string[][] = [];
    const listingView = findRebuildableProjection('listing-view')!;
    const inspecting: RebuildableProjection = {
      ...listingView,
      create: (): LogSubscriber => {
        const inner = listingView.create();
        return {
          ...inner,
          async handle(events, transaction) {
            if (emptied.length === 0) emptied.push((await transaction.query<{ stream_id: string }>('SELECT stream_id FROM deadlines')).rows.map((r) => r.stream_id));
            await inner.handle(events, transaction);
          },
        };
      },
    };
    await rebuildProjection(pool, store, inspecting);
    // When its first batch began, only the listings' rows were gone: the deals' stood.
    expect(emptied[0]!.some((streamId) => streamId.startsWith('listing-'))).toBe(false);
    expect(emptied[0]!.some((streamId) => streamId.startsWith('deal-'))).toBe(true);
    expect(await theTable()).toEqual(before);
    expect(await theTable()).toEqual(await foldOfTheLog());
  });
});

describe('the due deadlines', () => {
  it('are read kind by kind up to a cutoff, in (deadline, stream) order, page by page', async () => {
    await pool.query('DELETE FROM deadlines');
    const base = Date.parse('2030-01-01T00:00:00.000Z');
    const streams = Array.from({ length: 7 }, (_, n) => `deal-${String(n).padStart(2, '0')}`);
    await pool.query(
      `INSERT INTO deadlines (stream_id, kind, deadline_at, expiry_key)
       SELECT s, 'deal_approval', to_timestamp($2::double precision / 1000) + make_interval(mins => (i / 2)::int), s || '/key'
       FROM unnest($1::text[]) WITH ORDINALITY AS t(s, i)`,
      [streams, base],
    );
    await pool.query(`INSERT INTO deadlines VALUES ('listing-x', 'listing_matchable_until', to_timestamp($1::double precision / 1000), 'listing-x/key')`, [base]);
    const reader = postgresDueDeadlines(pool);
    const cutoff = new Date(base + 2 * 60_000);
    const seen: string[] = [];
    let after = null;
    for (;;) {
      const page = await reader.due('deal_approval', cutoff, after, 2);
      seen.push(...page.map((deadline) => deadline.streamId));
      if (page.length < 2) break;
      after = { deadlineAt: page.at(-1)!.deadlineAt, streamId: page.at(-1)!.streamId };
    }
    // Minutes 0 (deal-00), 1 (deal-01, deal-02), 2 (deal-03, deal-04): the later ones are not due.
    expect(seen).toEqual(['deal-00', 'deal-01', 'deal-02', 'deal-03', 'deal-04']);
    expect((await reader.due('listing_matchable_until', cutoff, null, 10)).map((deadline) => [deadline.streamId, deadline.kind, deadline.expiryKey])).toEqual([
      ['listing-x', 'listing_matchable_until', 'listing-x/key'],
    ]);
    await pool.query('DELETE FROM deadlines');
  });

  it('one enforcer leads at a time; the lock passes on when it lets go or its connection dies', async () => {
    const name = `deadline-enforcer-${randomUUID()}`;
    // A pool of their own, which (like the apps' pools) expects connections to die.
    const lockPool = new pg.Pool({ connectionString: database.url, max: 4 });
    lockPool.on('error', () => undefined);
    const first = advisoryLeadership(lockPool, name);
    const second = advisoryLeadership(lockPool, name);
    expect(await first.acquire()).toBe(true);
    expect(await first.acquire()).toBe(true);
    expect(await second.acquire()).toBe(false);
    await first.release();
    expect(await second.acquire()).toBe(true);
    expect(await first.acquire()).toBe(false);
    // The leader's session ends (a server restart, an operator): the lock is gone with it.
    await pool.query(`SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND objid = hashtext($1)::oid AND granted`, [name]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await first.acquire()).toBe(true);
    expect(await second.acquire()).toBe(false);
    await first.release();
    await second.release();
    await lockPool.end();
  });
});
