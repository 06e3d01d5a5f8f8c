import { randomUUID } from 'node:crypto';
import pg from 'pg';
import {
  buyerEscrowAccount,
  dealDecider,
  dealJournalEntries,
  dealStreamId,
  decodeDealEvent,
  decodeListingEvent,
  evolveDeal,
  evolveListingBooks,
  initialDealState,
  listingDecider,
  listingJournalEntries,
  listingStreamId,
  matchableUntil,
  sellerPayableAccount,
  DEFAULT_LISTING_POLICY,
  type DealCommand,
  type DealState,
  type JournalEntry,
  type ListingBooks,
  type ListingCommand,
} from '#domain';
import { PostgresEventStore, comparePositions, type EventStore, type EventToAppend, type JsonObject, type RecordedEvent } from '#event-store';
import { createTestDatabase, recordCommands, type EncodingDecider, type TestDatabase } from '#testing';
import { ledgerMigrations } from '../database/ledger-migrations.js';
import { DurableSubscription, type LogSubscriber } from '../subscriptions/durable-subscription.js';
import { JOURNAL, journalProjection } from './journal-projection.js';

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

/** Decides deal commands in order and appends what they decide: the write side, without HTTP. */
function record(dealId: string, commands: DealCommand[]): Promise<void> {
  return recordCommands(store, dealDecider, dealStreamId(dealId), commands, { now: NOW, metadata });
}

/** Read, decide at `now`, append with the revision read: later facts of a stream that exists. */
async function append<State, Command, Event>(
  decider: EncodingDecider<State, Command, Event> & { decode(stored: { type: string; data: Record<string, unknown> }): Event },
  streamId: string,
  commands: readonly Command[],
  now: Date,
): Promise<void> {
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
  await store.append(streamId, events, stored.at(-1)?.revision ?? 'no_stream');
}

interface Parties {
  readonly sellerId: string;
  readonly buyerId: string;
}

function parties(): Parties {
  const suffix = randomUUID().slice(0, 8);
  return { sellerId: `seller-${suffix}`, buyerId: `buyer-${suffix}` };
}

function opened(dealId: string, { sellerId, buyerId }: Parties): DealCommand[] {
  return [
    {
      type: 'OpenDeal',
      dealId,
      listingId: randomUUID(),
      sellerId,
      buyerId,
      brokerId: 'broker-ana',
      currency: 'USD',
      faceValueCents: 200_000n,
      priceCents: 120_000n,
      commissionBps: 1_000,
      creditExpiresAt: new Date('2027-06-01T00:00:00.000Z'),
    },
    { type: 'ApproveDeal', dealId, party: 'seller', termsVersion: 1, approvedBy: 'seller-contact' },
    { type: 'ApproveDeal', dealId, party: 'buyer', termsVersion: 1, approvedBy: 'buyer-contact' },
  ];
}

function settled(dealId: string, who: Parties): DealCommand[] {
  return [
    ...opened(dealId, who),
    { type: 'ReceiveBuyerPayment', dealId, amountCents: 20_000n, paymentRef: 'wire-1' },
    { type: 'ReceiveBuyerPayment', dealId, amountCents: 100_000n, paymentRef: 'wire-2' },
    { type: 'StartCreditTransfer', dealId, mechanism: 'organization_membership', reference: 'invite-1' },
    { type: 'ConfirmCreditTransfer', dealId, confirmedFaceValueCents: 150_000n, evidence: { method: 'console', reference: 'member-added' } },
    { type: 'IssueSellerPayout', dealId, payoutRef: 'payout-1' },
  ];
}

function cancelled(dealId: string, who: Parties): DealCommand[] {
  return [...opened(dealId, who), { type: 'ReceiveBuyerPayment', dealId, amountCents: 30_000n, paymentRef: 'wire-1' }, { type: 'CancelDeal', dealId, reason: 'buyer walked away' }];
}

async function project(subscriber: LogSubscriber = journalProjection(), batchSize = 4): Promise<DurableSubscription> {
  const head = await store.headPosition();
  const subscription = new DurableSubscription(pool, store, subscriber, { pollIntervalMs: 10, batchSize, retryBaseMs: 1, maxBatchAttempts: 3 });
  subscription.start();
  try {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const { position, state } = subscription.status();
      if (state === 'failed') return subscription;
      if (head !== null && position !== null && comparePositions(position, head) >= 0) return subscription;
      if (Date.now() > deadline) throw new Error(`the journal did not catch up: ${JSON.stringify(subscription.status(), (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value))}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  } finally {
    await subscription.stop();
  }
}

async function balance(account: string): Promise<bigint> {
  const result = await pool.query<{ balance: string }>(`SELECT coalesce(sum(balance_cents), 0)::text AS balance FROM account_balances WHERE account = $1`, [account]);
  return BigInt(result.rows[0]!.balance);
}

async function readWholeLog(): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for (;;) {
    const page = await store.readAll({ after: events.at(-1)?.position, maxCount: 500 });
    if (page.length === 0) return events;
    events.push(...page);
  }
}

/** The books folded from the log in memory with the domain's rules: what the tables must equal. */
async function foldOfTheLog(): Promise<{ entries: Array<{ id: string; kind: string; postings: string }>; balances: Array<{ account: string; currency: string; balance: string }> }> {
  const states = new Map<string, DealState>();
  const listings = new Map<string, ListingBooks | null>();
  const entries: Array<{ id: string; kind: string; postings: string }> = [];
  const balances = new Map<string, bigint>();
  const post = (recorded: RecordedEvent, posted: readonly JournalEntry[]): void =>
    posted.forEach((entry, index) => {
      entries.push({ id: `${recorded.id}:${index}`, kind: entry.kind, postings: entry.postings.map((p) => `${p.account}=${p.amountCents}`).join(' ') });
      for (const posting of entry.postings) {
        const key = `${posting.account}|${entry.currency}`;
        balances.set(key, (balances.get(key) ?? 0n) + posting.amountCents);
      }
    });
  for (const recorded of await readWholeLog()) {
    if (recorded.streamId.startsWith('listing-')) {
      const event = decodeListingEvent(recorded);
      const before = listings.get(recorded.streamId) ?? null;
      post(recorded, listingJournalEntries(before, event));
      listings.set(recorded.streamId, evolveListingBooks(before, event));
      continue;
    }
    if (!recorded.streamId.startsWith('deal-')) continue;
    const event = decodeDealEvent(recorded);
    const before = states.get(recorded.streamId) ?? initialDealState;
    post(recorded, dealJournalEntries(before, event));
    states.set(recorded.streamId, evolveDeal(before, event));
  }
  return {
    entries,
    balances: [...balances]
      .filter(([, cents]) => cents !== 0n)
      .map(([key, cents]) => ({ account: key.split('|')[0]!, currency: key.split('|')[1]!, balance: cents.toString() }))
      .sort((a, b) => (a.account < b.account ? -1 : a.account > b.account ? 1 : a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0)),
  };
}

async function theTables(): Promise<Awaited<ReturnType<typeof foldOfTheLog>>> {
  const entries = await pool.query<{ id: string; kind: string; postings: string }>(
    `SELECT e.id, e.kind, string_agg(p.account || '=' || p.amount_cents, ' ' ORDER BY p.posting_index) AS postings
     FROM journal_entries e JOIN journal_postings p ON p.entry_id = e.id
     GROUP BY e.id ORDER BY min(e.commit_position), min(e.prepare_position), min(e.entry_index)`,
  );
  const balances = await pool.query<{ account: string; currency: string; balance: string }>(
    `SELECT account, currency, balance_cents::text AS balance FROM account_balances WHERE balance_cents <> 0 ORDER BY account COLLATE "C", currency COLLATE "C"`,
  );
  return { entries: entries.rows, balances: balances.rows };
}

/** Every table of the projection, row by row, as text: for byte-for-byte comparisons. */
async function dump(): Promise<string[]> {
  const tables = ['journal_entries', 'journal_postings', 'account_balances', 'journal_deal_state', 'journal_listing_state'];
  const dumps: string[] = [];
  for (const table of tables) {
    const result = await pool.query<{ row: string }>(`SELECT t::text AS row FROM ${table} t ORDER BY t::text COLLATE "C"`);
    dumps.push(`${table}\n${result.rows.map((row) => row.row).join('\n')}`);
  }
  return dumps;
}

describe('the journal projection', () => {
  it('posts a settled deal: escrow and payable are zero, the commission is earned', async () => {
    const dealId = randomUUID();
    const who = parties();
    await record(dealId, settled(dealId, who));

    await project();

    const entries = await pool.query<{ id: string; kind: string; deal_id: string; event_id: string }>(
      'SELECT id, kind, deal_id, event_id::text AS event_id FROM journal_entries WHERE deal_id = $1 ORDER BY commit_position, prepare_position, entry_index',
      [dealId],
    );
    expect(entries.rows.map((row) => row.kind)).toEqual(['credits_reserved', 'buyer_payment', 'buyer_payment', 'credits_delivered', 'escrow_released', 'seller_payout']);
    for (const row of entries.rows) expect(row.id).toMatch(new RegExp(`^${row.event_id}:[01]$`));
    expect(await balance(buyerEscrowAccount(who.buyerId))).toBe(0n);
    expect(await balance(sellerPayableAccount(who.sellerId))).toBe(0n);
    expect(await balance(`credits:delivered:${who.buyerId}`)).toBe(150_000n);
    // Delivery returned the undelivered 50,000 of the 200,000 reserved to the seller's listing.
    expect(await balance(`credits:listed:${who.sellerId}`)).toBe(-150_000n);
    const postings = await pool.query<{ account: string; amount_cents: string }>(
      `SELECT p.account, p.amount_cents::text AS amount_cents FROM journal_postings p JOIN journal_entries e ON e.id = p.entry_id
       WHERE e.deal_id = $1 AND e.kind = 'escrow_released' ORDER BY p.posting_index`,
      [dealId],
    );
    expect(postings.rows).toEqual([
      { account: buyerEscrowAccount(who.buyerId), amount_cents: '120000' },
      { account: sellerPayableAccount(who.sellerId), amount_cents: '-108000' },
      { account: 'revenue:commission', amount_cents: '-12000' },
    ]);
  });

  it('returns a cancelled deal\'s money and credits', async () => {
    const dealId = randomUUID();
    const who = parties();
    await record(dealId, cancelled(dealId, who));

    await project();

    const kinds = await pool.query<{ kind: string }>('SELECT kind FROM journal_entries WHERE deal_id = $1 ORDER BY commit_position, prepare_position, entry_index', [dealId]);
    expect(kinds.rows.map((row) => row.kind)).toEqual(['credits_reserved', 'buyer_payment', 'credits_returned', 'buyer_refund']);
    expect(await balance(buyerEscrowAccount(who.buyerId))).toBe(0n);
    expect(await balance(`credits:listed:${who.sellerId}`)).toBe(0n);
  });

  it('reconciles: every entry sums to zero, all balances sum to zero, and balances are the sums of their postings', async () => {
    for (let deal = 0; deal < 5; deal += 1) {
      const dealId = randomUUID();
      await record(dealId, deal % 2 === 0 ? settled(dealId, parties()) : cancelled(dealId, parties()));
    }
    await project();

    const unbalanced = await pool.query('SELECT entry_id FROM journal_postings GROUP BY entry_id HAVING sum(amount_cents) <> 0');
    expect(unbalanced.rows).toEqual([]);
    const withoutPostings = await pool.query('SELECT id FROM journal_entries e WHERE NOT EXISTS (SELECT 1 FROM journal_postings p WHERE p.entry_id = e.id)');
    expect(withoutPostings.rows).toEqual([]);
    const orphans = await pool.query('SELECT entry_id FROM journal_postings p WHERE NOT EXISTS (SELECT 1 FROM journal_entries e WHERE e.id = p.entry_id)');
    expect(orphans.rows).toEqual([]);
    const totals = await pool.query<{ currency: string; total: string }>('SELECT currency, sum(balance_cents)::text AS total FROM account_balances GROUP BY currency');
    expect(totals.rows).toEqual([{ currency: 'USD', total: '0' }]);
    const drift = await pool.query(
      `SELECT b.account FROM account_balances b
       LEFT JOIN (SELECT account, currency, sum(amount_cents) AS total FROM journal_postings GROUP BY account, currency) p USING (account, currency)
       WHERE b.balance_cents <> coalesce(p.total, 0)`,
    );
    expect(drift.rows).toEqual([]);
    expect(await theTables()).toEqual(await foldOfTheLog());
  });

  it('still equals a fold of the log after a crash in the middle of a batch, and after a redelivered batch', async () => {
    for (let deal = 0; deal < 3; deal += 1) {
      const dealId = randomUUID();
      await record(dealId, settled(dealId, parties()));
    }
    const inner = journalProjection();
    let crashes = 0;
    const crashingOnce: LogSubscriber = {
      name: JOURNAL,
      async handle(events, transaction) {
        await inner.handle(events, transaction);
        if (crashes === 0) {
          crashes += 1;
          throw new Error('crash after the batch was written, before its checkpoint');
        }
      },
    };
    const subscription = await project(crashingOnce, 7);
    expect(crashes).toBe(1);
    expect(subscription.status().state).not.toBe('failed');
    expect(await theTables()).toEqual(await foldOfTheLog());

    // At-least-once delivery without the checkpoint's help: the same batch handled again in a new transaction.
    const dealId = randomUUID();
    await record(dealId, settled(dealId, parties()));
    const batch = await store.readStream(dealStreamId(dealId));
    const client = await pool.connect();
    try {
      for (let delivery = 0; delivery < 2; delivery += 1) {
        await client.query('BEGIN');
        await journalProjection().handle(batch, client);
        await client.query('COMMIT');
      }
      // Even with the deal state forgotten, the entries' ids keep the balances from moving twice.
      await client.query('BEGIN');
      await client.query('DELETE FROM journal_deal_state WHERE deal_id = $1', [dealId]);
      await journalProjection().handle(batch, client);
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    await project();
    expect(await theTables()).toEqual(await foldOfTheLog());
  });

  it('stops visibly when an entry does not balance', async () => {
    const dealId = randomUUID();
    await record(dealId, opened(dealId, parties()));
    const broken = journalProjection({
      entriesOf: (before, event) =>
        dealJournalEntries(before, event).map((entry) => ({ ...entry, postings: entry.postings.map((posting, index) => (index === 0 ? { ...posting, amountCents: posting.amountCents + 1n } : posting)) })),
    });

    const subscription = await project(broken);

    expect(subscription.status()).toMatchObject({ state: 'failed', error: expect.stringContaining('does not balance') });
    const posted = await pool.query('SELECT 1 FROM journal_entries WHERE deal_id = $1', [dealId]);
    expect(posted.rows).toEqual([]);
    await project();
    expect(await theTables()).toEqual(await foldOfTheLog());
  });

  it('writes off an expired listing\'s unsold face value and what its deals give back after the expiry, once: credits:expired is the listing\'s expired part', async () => {
    const listingId = randomUUID();
    const [expiring, rejected] = [randomUUID(), randomUUID()];
    const who = parties();
    const creditExpiry = new Date('2027-06-01T00:00:00.000Z');
    const listingCommands: ListingCommand[] = [
      { type: 'SubmitListing', submittedBy: 'broker-ana', listingId, sellerId: who.sellerId, provider: 'openai', creditType: 'prepaid_api', providerOrgRef: 'org-1', currency: 'USD', claimedFaceValueCents: 1_000_000n, creditExpiresAt: creditExpiry, askPriceCents: 600_000n },
      { type: 'VerifyListing', listingId, verifiedBy: 'ops', verifiedFaceValueCents: 900_000n, verifiedExpiresAt: creditExpiry, evidence: { method: 'console', reference: 't-1', checkedAt: NOW } },
      ...[expiring, rejected].map((dealId): ListingCommand => ({ type: 'ReserveListing', listingId, dealId, faceValueCents: 200_000n, priceCents: 120_000n, match: { buyerId: who.buyerId, brokerId: 'broker-ana', commissionBps: 1_000, buyRequestId: null } })),
    ];
    await recordCommands(store, listingDecider, listingStreamId(listingId), listingCommands, { now: NOW, metadata });
    for (const dealId of [expiring, rejected]) {
      const [open, ...approve] = opened(dealId, who);
      await record(dealId, [{ ...(open as Extract<DealCommand, { type: 'OpenDeal' }>), listingId, creditExpiresAt: creditExpiry }, ...(dealId === expiring ? approve : [])]);
    }
    await append(dealDecider, dealStreamId(expiring), [{ type: 'ReceiveBuyerPayment', dealId: expiring, amountCents: 50_000n, paymentRef: 'wire-1' }], NOW);
    // The listing stops being matchable with 500,000 of its 900,000 available, ...
    await append(listingDecider, listingStreamId(listingId), [{ type: 'ExpireListing', listingId }], matchableUntil(creditExpiry, DEFAULT_LISTING_POLICY));
    // ... one deal is rejected and the other expires on its credit expiry, refunding what was paid; both reservations come back to the expired listing.
    await append(dealDecider, dealStreamId(rejected), [{ type: 'RejectDeal', dealId: rejected, party: 'buyer', reason: 'too late', rejectedBy: 'buyer-contact' }], NOW);
    await append(dealDecider, dealStreamId(expiring), [{ type: 'ExpireDeal', dealId: expiring }], creditExpiry);
    await append(listingDecider, listingStreamId(listingId), [expiring, rejected].map((dealId): ListingCommand => ({ type: 'ReleaseListingReservation', listingId, dealId, reason: 'deal_ended' })), creditExpiry);

    await project();

    const listingEntries = await pool.query<{ kind: string; deal_id: string | null; amount: string }>(
      `SELECT e.kind, e.deal_id, p.amount_cents::text AS amount FROM journal_entries e JOIN journal_postings p ON p.entry_id = e.id
       WHERE e.listing_id = $1 AND p.account = 'credits:expired' ORDER BY e.commit_position, e.prepare_position, e.entry_index`,
      [listingId],
    );
    expect(listingEntries.rows).toEqual([
      { kind: 'credits_expired', deal_id: null, amount: '500000' },
      { kind: 'credits_expired', deal_id: expiring, amount: '200000' },
      { kind: 'credits_expired', deal_id: rejected, amount: '200000' },
    ]);
    const dealKinds = await pool.query<{ kind: string }>('SELECT kind FROM journal_entries WHERE deal_id = $1 AND listing_id = $2 ORDER BY commit_position, prepare_position, entry_index', [expiring, listingId]);
    // The deal gives its credits back to the listing however it ends; the listing writes them off.
    expect(dealKinds.rows.map((row) => row.kind)).toEqual(['credits_reserved', 'buyer_payment', 'credits_returned', 'buyer_refund', 'credits_expired']);
    expect(await balance(`credits:listed:${who.sellerId}`)).toBe(-900_000n);
    expect(await balance(buyerEscrowAccount(who.buyerId))).toBe(0n);
    const listing = (await store.readStream(listingStreamId(listingId))).reduce((state, event) => listingDecider.evolve(state, listingDecider.decode(event)), listingDecider.initialState);
    expect(listing.status === 'expired' && listing.expiredFaceValueCents).toBe(900_000n);
    expect(await theTables()).toEqual(await foldOfTheLog());
  });

  it('rebuilds to byte-identical tables from the start of the log', async () => {
    const dealId = randomUUID();
    await record(dealId, settled(dealId, parties()));
    await project();
    const before = await dump();

    await pool.query(
      `DELETE FROM journal_postings; DELETE FROM journal_entries; DELETE FROM account_balances; DELETE FROM journal_deal_state; DELETE FROM journal_listing_state;
       DELETE FROM subscription_checkpoints WHERE subscription_name = '${JOURNAL}'`,
    );
    await project(journalProjection(), 1_000);

    expect(await dump()).toEqual(before);
  });
});
