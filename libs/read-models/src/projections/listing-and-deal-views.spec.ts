import { randomUUID } from 'node:crypto';
import pg from 'pg';
import {
  dealDecider,
  dealStreamId,
  foldDealEvents,
  foldListingEvents,
  listingDecider,
  listingStreamId,
  type DealCommand,
  type ListingCommand,
} from '#domain';
import { PostgresEventStore, comparePositions, type EventStore } from '#event-store';
import { createTestDatabase, recordCommands, type EncodingDecider, type TestDatabase } from '#testing';
import { ledgerMigrations } from '../database/ledger-migrations.js';
import { DurableSubscription } from '../subscriptions/durable-subscription.js';
import { dealViewProjection } from './deal-view.js';
import { listingViewProjection } from './listing-view.js';

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
const metadata = () => ({ actorId: 'broker-ana', actorRole: 'broker', correlationId: randomUUID(), causationId: null, occurredAt: NOW.toISOString(), schemaVersion: 1 });

/** What the write side would record for these commands. */
const record = <State, Command, Event>(decider: EncodingDecider<State, Command, Event>, streamId: string, commands: Command[]) =>
  recordCommands(store, decider, streamId, commands, { now: NOW, metadata });

const match = { buyerId: 'buyer-globex', brokerId: 'broker-ana', commissionBps: 1_000, buyRequestId: null };

function listingCommands(listingId: string, dealIds: string[]): ListingCommand[] {
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
      creditExpiresAt: new Date('2027-06-01T00:00:00.000Z'),
      askPriceCents: 600_000n,
    },
    {
      type: 'VerifyListing',
      listingId,
      verifiedBy: 'broker-ana',
      verifiedFaceValueCents: 900_000n,
      verifiedExpiresAt: new Date('2027-06-01T00:00:00.000Z'),
      evidence: { method: 'dashboard', reference: 'shot-1', checkedAt: NOW },
    },
    ...dealIds.map((dealId): ListingCommand => ({ type: 'ReserveListing', listingId, dealId, faceValueCents: 200_000n, priceCents: 120_000n, match })),
    { type: 'ReleaseListingReservation', listingId, dealId: dealIds[0]!, reason: 'deal_rejected' },
  ];
}

function dealCommands(dealId: string, listingId: string): DealCommand[] {
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
      creditExpiresAt: new Date('2027-06-01T00:00:00.000Z'),
    },
    { type: 'ApproveDeal', dealId, party: 'seller', termsVersion: 1, approvedBy: 'seller-contact' },
    { type: 'ApproveDeal', dealId, party: 'buyer', termsVersion: 1, approvedBy: 'buyer-contact' },
    { type: 'ReceiveBuyerPayment', dealId, amountCents: 50_000n, paymentRef: 'wire-1' },
  ];
}

async function project(...subscribers: Array<ReturnType<typeof listingViewProjection>>): Promise<void> {
  const head = await store.headPosition();
  const subscriptions = subscribers.map((subscriber) => new DurableSubscription(pool, store, subscriber, { pollIntervalMs: 10, batchSize: 3 }));
  for (const subscription of subscriptions) subscription.start();
  const caughtUp = (subscription: DurableSubscription): boolean => {
    const position = subscription.status().position;
    return head !== null && position !== null && comparePositions(position, head) >= 0;
  };
  try {
    const deadline = Date.now() + 10_000;
    while (!subscriptions.every(caughtUp)) {
      if (Date.now() > deadline) throw new Error(`projections did not catch up: ${subscriptions.map((s) => `${s.status().name} ${s.status().state}`).join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  } finally {
    await Promise.all(subscriptions.map((subscription) => subscription.stop()));
  }
}

async function rows(table: string, ids: string[]): Promise<Array<Record<string, unknown>>> {
  return (await pool.query(`SELECT * FROM ${table} WHERE id = ANY($1) ORDER BY id`, [ids])).rows;
}

describe('the listing and deal views', () => {
  it('hold exactly the fold of each stream, after any number of batches', async () => {
    const listingId = randomUUID();
    const dealIds = [randomUUID(), randomUUID(), randomUUID()];
    await record(listingDecider, listingStreamId(listingId), listingCommands(listingId, dealIds));
    await record(dealDecider, dealStreamId(dealIds[1]!), dealCommands(dealIds[1]!, listingId));

    await project(listingViewProjection(), dealViewProjection());

    const [listing] = await rows('listing_view', [listingId]);
    expect(listing).toMatchObject({
      status: 'available',
      seller_id: 'seller-acme',
      face_value_cents: '1000000',
      verified_face_value_cents: '900000',
      reserved_face_value_cents: '400000',
      available_face_value_cents: '500000',
      stream_revision: '5',
    });
    const folded = foldListingEvents((await store.readStream(listingStreamId(listingId))).map((event) => listingDecider.decode(event)));
    expect(folded).toMatchObject({ reservedFaceValueCents: 400_000n, availableFaceValueCents: 500_000n });
    const [deal] = await rows('deal_view', [dealIds[1]!]);
    const dealState = foldDealEvents((await store.readStream(dealStreamId(dealIds[1]!))).map((event) => dealDecider.decode(event)));
    expect(deal).toMatchObject({ status: dealState.status, paid_cents: '50000', commission_cents: '12000', payout_cents: '108000', terms_version: 1, broker_id: 'broker-ana' });
  });

  it('rebuild to byte-identical rows from the start of the log', async () => {
    const listingId = randomUUID();
    const dealId = randomUUID();
    await record(listingDecider, listingStreamId(listingId), listingCommands(listingId, [randomUUID(), dealId]));
    await record(dealDecider, dealStreamId(dealId), dealCommands(dealId, listingId));
    await project(listingViewProjection(), dealViewProjection());
    const before = [await rows('listing_view', [listingId]), await rows('deal_view', [dealId])];

    await pool.query(`DELETE FROM listing_view; DELETE FROM deal_view; DELETE FROM subscription_checkpoints WHERE subscription_name IN ('listing-view', 'deal-view')`);
    await project(listingViewProjection(), dealViewProjection());

    expect([await rows('listing_view', [listingId]), await rows('deal_view', [dealId])]).toEqual(before);
  });
});
