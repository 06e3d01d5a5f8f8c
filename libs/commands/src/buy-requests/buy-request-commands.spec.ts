/**
 * The write side of buy requests against a real PostgreSQL event store:
 * the command handler, deals opened from a request (checked before anything
 * is written), and the reservation process manager that records, releases
 * and reduces fills, exactly once, also when a fill is refused.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import {
  buyRequestStreamId,
  dealStreamId,
  decodeBuyRequestEvent,
  foldListingEvents,
  decodeListingEvent,
  listingStreamId,
  type BuyRequestState,
  type DealCommand,
  type PlaceBuyRequest,
} from '#domain';
import { ConcurrencyError, PostgresEventStore, eventStoreMigrations, type LogPosition, type RecordedEvent } from '#event-store';
import { createTestDatabase, type TestDatabase } from '#testing';
import { ExecuteDealCommand, ExecuteDealCommandHandler, type DealCommandInput } from '../deals/execute-deal-command.js';
import { OpenDealCommand, OpenDealCommandHandler, type OpenDealRequestData } from '../deals/open-deal.js';
import { ReservationProcessManager } from '../deals/reservation-process-manager.js';
import { createLedgerDeciders } from '../ledger-command-settings.js';
import { ExecuteListingCommand, ExecuteListingCommandHandler } from '../listings/execute-listing-command.js';
import { QuoteDealQuery, QuoteDealQueryHandler } from '../quotes/quote-deal.js';
import type { CommandContext } from '../stream/command-context.js';
import { foldStream } from '../stream/run-stream-command.js';
import { buyRequestFilledEventId } from './buy-request-fill.js';
import { ExecuteBuyRequestCommand, ExecuteBuyRequestCommandHandler } from './execute-buy-request-command.js';

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;
const START_MS = Date.parse('2026-03-02T00:00:00.000Z');
const DEADLINE = new Date('2026-04-01T00:00:00.000Z');
const CREDITS_EXPIRE_AT = new Date('2026-09-01T00:00:00.000Z');

let nowMs = START_MS;
const clock = (): Date => new Date(nowMs);
const deciders = createLedgerDeciders({ expiryMarginMs: 72 * HOUR_MS, approvalWindowMs: 48 * HOUR_MS });

/** Each call is its own command message, as each HTTP request is. */
const brokerContext = (): CommandContext => ({ actorId: 'broker-ana', actorRole: 'broker', correlationId: randomUUID(), causationId: randomUUID() });

let database: TestDatabase;
let store: PostgresEventStore;
let buyRequests: ExecuteBuyRequestCommandHandler;
let listings: ExecuteListingCommandHandler;
let deals: ExecuteDealCommandHandler;
let openDeals: OpenDealCommandHandler;
let quotes: QuoteDealQueryHandler;
let processManager: ReservationProcessManager;
/** Where the process manager left off in the global log. */
let handledUpTo: LogPosition | undefined;

beforeAll(async () => {
  database = await createTestDatabase(eventStoreMigrations);
  store = new PostgresEventStore(new pg.Pool({ connectionString: database.url, max: 10 }));
  buyRequests = new ExecuteBuyRequestCommandHandler(store, deciders, clock);
  listings = new ExecuteListingCommandHandler(store, deciders, clock);
  deals = new ExecuteDealCommandHandler(store, deciders, clock);
  openDeals = new OpenDealCommandHandler(store, deciders, clock);
  quotes = new QuoteDealQueryHandler(store, deciders, clock);
  processManager = new ReservationProcessManager({ store, deciders, clock });
});

afterAll(async () => {
  await store?.close();
  await database?.drop();
});

beforeEach(async () => {
  nowMs = START_MS;
  // Every spec starts with the process manager caught up, so it handles only what the spec writes.
  await catchUp();
});

/** Runs the process manager over the log until it has nothing left, as its durable subscription would; answers what it handled. */
async function catchUp(): Promise<RecordedEvent[]> {
  const handled: RecordedEvent[] = [];
  for (;;) {
    const batch = await store.readAll({ after: handledUpTo, maxCount: 100, filter: processManager.filter });
    if (batch.length === 0) return handled;
    await processManager.handle(batch);
    handled.push(...batch);
    handledUpTo = batch.at(-1)!.position;
  }
}

async function placeRequest(overrides: Partial<Omit<PlaceBuyRequest, 'type'>> = {}): Promise<string> {
  const buyRequestId = overrides.buyRequestId ?? randomUUID();
  await buyRequests.execute(
    new ExecuteBuyRequestCommand(
      {
        type: 'PlaceBuyRequest',
        buyRequestId,
        buyerId: 'buyer-globex',
        provider: 'openai',
        creditTypes: ['prepaid_api', 'startup_program'],
        faceValueCents: 1_000_000n,
        maxPriceBps: 6_000,
        minValidityDays: 30,
        deadline: DEADLINE,
        ...overrides,
      },
      brokerContext(),
    ),
  );
  return buyRequestId;
}

async function verifiedListing(options: { faceValueCents?: bigint; provider?: string; creditType?: 'prepaid_api' | 'fine_tuning'; creditExpiresAt?: Date } = {}): Promise<string> {
  const listingId = randomUUID();
  const faceValueCents = options.faceValueCents ?? 2_000_000n;
  const creditExpiresAt = options.creditExpiresAt ?? CREDITS_EXPIRE_AT;
  await listings.execute(
    new ExecuteListingCommand(
      {
        type: 'SubmitListing',
        listingId,
        sellerId: 'seller-acme',
        provider: options.provider ?? 'openai',
        creditType: options.creditType ?? 'prepaid_api',
        providerOrgRef: 'org-acme-1',
        currency: 'USD',
        claimedFaceValueCents: faceValueCents,
        creditExpiresAt,
        askPriceCents: faceValueCents / 2n,
      },
      brokerContext(),
    ),
  );
  await listings.execute(
    new ExecuteListingCommand(
      {
        type: 'VerifyListing',
        listingId,
        verifiedBy: 'broker-ana',
        verifiedFaceValueCents: faceValueCents,
        verifiedExpiresAt: creditExpiresAt,
        evidence: { method: 'provider_console', reference: 'shot-1', checkedAt: clock() },
      },
      brokerContext(),
    ),
  );
  return listingId;
}

function dealData(listingId: string, buyRequestId: string | null, overrides: Partial<OpenDealRequestData> = {}): OpenDealRequestData {
  return {
    dealId: randomUUID(),
    listingId,
    buyerId: 'buyer-globex',
    brokerId: 'broker-ana',
    faceValueCents: 400_000n,
    priceCents: 200_000n,
    commissionBps: 1_000,
    buyRequestId,
    freshDealId: true,
    ...overrides,
  };
}

async function openDeal(listingId: string, buyRequestId: string | null, overrides: Partial<OpenDealRequestData> = {}): Promise<string> {
  const data = dealData(listingId, buyRequestId, overrides);
  await openDeals.execute(new OpenDealCommand(data, brokerContext()));
  return data.dealId;
}

const onDeal = (command: DealCommandInput) => deals.execute(new ExecuteDealCommand(command, brokerContext()));
const typesOf = async (streamId: string): Promise<string[]> => (await store.readStream(streamId)).map((event) => event.type);

async function requestState(buyRequestId: string): Promise<BuyRequestState> {
  return (await foldStream(store, buyRequestStreamId(buyRequestId), deciders.buyRequest)).state;
}

async function refusal(work: Promise<unknown>): Promise<{ code: string; details?: Record<string, unknown> }> {
  try {
    await work;
  } catch (error) {
    return error as { code: string; details?: Record<string, unknown> };
  }
  throw new Error('expected a refusal, but the command went through');
}

describe('ExecuteBuyRequestCommand', () => {
  it('places, amends and cancels a request, answering its id, revision and log position', async () => {
    const buyRequestId = await placeRequest();

    const amended = await buyRequests.execute(new ExecuteBuyRequestCommand({ type: 'AmendBuyRequest', buyRequestId, maxPriceBps: 6_500 }, brokerContext()));
    const cancelled = await buyRequests.execute(new ExecuteBuyRequestCommand({ type: 'CancelBuyRequest', buyRequestId, reason: 'bought elsewhere' }, brokerContext(), 1n));

    expect(amended).toEqual({ id: buyRequestId, streamRevision: 1n, position: expect.anything() });
    expect(cancelled).toEqual({ id: buyRequestId, streamRevision: 2n, position: expect.anything() });
    expect(await typesOf(buyRequestStreamId(buyRequestId))).toEqual(['BuyRequestPlaced', 'BuyRequestAmended', 'BuyRequestCancelled']);
    const [placed] = await store.readStream(buyRequestStreamId(buyRequestId));
    expect(placed!.metadata).toMatchObject({ actorId: 'broker-ana', actorRole: 'broker', occurredAt: '2026-03-02T00:00:00.000Z' });
  });

  it('records the facts of one command message once, however often it runs', async () => {
    const buyRequestId = randomUUID();
    const context = brokerContext();
    const place = new ExecuteBuyRequestCommand(
      { type: 'PlaceBuyRequest', buyRequestId, buyerId: 'b', provider: 'openai', creditTypes: ['prepaid_api'], faceValueCents: 5n, maxPriceBps: 5_000, minValidityDays: 0, deadline: DEADLINE },
      context,
    );
    const first = await buyRequests.execute(place);
    const again = await buyRequests.execute(place);

    expect(again).toEqual(first);
    expect(await typesOf(buyRequestStreamId(buyRequestId))).toEqual(['BuyRequestPlaced']);
  });

  it('refuses a stale If-Match with a ConcurrencyError and writes nothing', async () => {
    const buyRequestId = await placeRequest();
    await buyRequests.execute(new ExecuteBuyRequestCommand({ type: 'AmendBuyRequest', buyRequestId, minValidityDays: 10 }, brokerContext()));

    await expect(buyRequests.execute(new ExecuteBuyRequestCommand({ type: 'AmendBuyRequest', buyRequestId, minValidityDays: 20 }, brokerContext(), 0n))).rejects.toBeInstanceOf(
      ConcurrencyError,
    );
    expect(await typesOf(buyRequestStreamId(buyRequestId))).toEqual(['BuyRequestPlaced', 'BuyRequestAmended']);
  });

  it('refuses a command on a request that does not exist with BUY_REQUEST_NOT_FOUND', async () => {
    const buyRequestId = randomUUID();
    expect(await refusal(buyRequests.execute(new ExecuteBuyRequestCommand({ type: 'CancelBuyRequest', buyRequestId, reason: 'r' }, brokerContext())))).toMatchObject({
      code: 'BUY_REQUEST_NOT_FOUND',
    });
    expect(await typesOf(buyRequestStreamId(buyRequestId))).toEqual([]);
  });
});

describe('opening a deal that names a buy request', () => {
  it('reserves for the request and opens the deal; the fill is left to the reservation process manager', async () => {
    const buyRequestId = await placeRequest();
    const listingId = await verifiedListing();

    const dealId = await openDeal(listingId, buyRequestId);

    const [reserved] = (await store.readStream(listingStreamId(listingId))).filter((event) => event.type === 'ListingReserved');
    expect(reserved!.data).toMatchObject({ dealId, match: { buyRequestId } });
    expect((await store.readStream(dealStreamId(dealId)))[0]!.data).toMatchObject({ buyRequestId });
    expect(await typesOf(buyRequestStreamId(buyRequestId))).toEqual(['BuyRequestPlaced']);
  });

  it('refuses a request that does not exist with BUY_REQUEST_NOT_FOUND and writes nothing', async () => {
    const listingId = await verifiedListing();
    const head = await store.headPosition();

    expect(await refusal(openDeal(listingId, randomUUID()))).toMatchObject({ code: 'BUY_REQUEST_NOT_FOUND' });
    expect(await store.headPosition()).toEqual(head);
  });

  it.each([
    ['buyer_differs', {}, {}, { buyerId: 'buyer-initech' }],
    ['price_above_ceiling', {}, {}, { priceCents: 240_001n }],
    ['face_value_above_unfilled', { faceValueCents: 300_000n }, {}, {}],
    ['provider_differs', {}, { provider: 'anthropic' }, {}],
    ['credit_type_not_accepted', {}, { creditType: 'fine_tuning' }, {}],
    ['validity_too_short', { minValidityDays: 200 }, {}, {}],
  ] as const)('refuses a deal that does not fit (%s) with BUY_REQUEST_MISMATCH and writes nothing', async (reason, request, listing, deal) => {
    const buyRequestId = await placeRequest(request);
    const listingId = await verifiedListing(listing);
    const head = await store.headPosition();

    const refused = await refusal(openDeal(listingId, buyRequestId, deal));

    expect(refused).toMatchObject({ code: 'BUY_REQUEST_MISMATCH', details: { buyRequestId, reasons: [reason] } });
    expect(await store.headPosition()).toEqual(head);
  });

  it('refuses a request that is closed, or past its deadline before its expiry is recorded', async () => {
    const cancelled = await placeRequest();
    await buyRequests.execute(new ExecuteBuyRequestCommand({ type: 'CancelBuyRequest', buyRequestId: cancelled, reason: 'bought elsewhere' }, brokerContext()));
    const pastDeadline = await placeRequest();
    const listingId = await verifiedListing();

    expect(await refusal(openDeal(listingId, cancelled))).toMatchObject({ code: 'BUY_REQUEST_MISMATCH', details: { reasons: ['request_not_open'] } });
    nowMs = DEADLINE.getTime();
    expect(await refusal(openDeal(listingId, pastDeadline))).toMatchObject({ code: 'BUY_REQUEST_MISMATCH', details: { reasons: ['request_deadline_passed'] } });
    expect(await typesOf(listingStreamId(listingId))).toEqual(['ListingSubmitted', 'ListingVerified']);
  });

  it('quotes a deal that fits and refuses one that does not, as opening it would', async () => {
    const buyRequestId = await placeRequest();
    const listingId = await verifiedListing();

    await expect(quotes.execute(new QuoteDealQuery(dealData(listingId, buyRequestId)))).resolves.toMatchObject({ discountBps: 5_000 });
    expect(await refusal(quotes.execute(new QuoteDealQuery(dealData(listingId, buyRequestId, { buyerId: 'buyer-initech' }))))).toMatchObject({
      code: 'BUY_REQUEST_MISMATCH',
      details: { reasons: ['buyer_differs'] },
    });
    expect(await refusal(quotes.execute(new QuoteDealQuery(dealData(listingId, randomUUID()))))).toMatchObject({ code: 'BUY_REQUEST_NOT_FOUND' });
  });
});

describe('the reservation process manager and buy requests', () => {
  it('records the fill once the deal is open, exactly once however often it runs', async () => {
    const buyRequestId = await placeRequest();
    const listingId = await verifiedListing();
    const dealId = await openDeal(listingId, buyRequestId);

    const handled = await catchUp();
    await processManager.handle(handled);
    await processManager.handle(handled);

    const events = await store.readStream(buyRequestStreamId(buyRequestId));
    expect(events.map((event) => event.type)).toEqual(['BuyRequestPlaced', 'BuyRequestFilled']);
    expect(events[1]!.id).toBe(buyRequestFilledEventId(listingId, dealId));
    expect(events[1]!.data).toMatchObject({ dealId, faceValueCents: '400000', filledFaceValueCents: '400000' });
    const reserved = (await store.readStream(listingStreamId(listingId))).find((event) => event.type === 'ListingReserved')!;
    // Caused by the reservation, in the opening request's correlation.
    expect(events[1]!.metadata).toMatchObject({ actorRole: 'system', causationId: reserved.id, correlationId: reserved.metadata.correlationId });
  });

  it('opens the deal of a reservation whose opener crashed, then fills the request', async () => {
    const buyRequestId = await placeRequest();
    const listingId = await verifiedListing();
    const dealId = randomUUID();
    // What a crash right after the reservation leaves behind: the fact on the listing, no deal.
    await listings.execute(
      new ExecuteListingCommand(
        {
          type: 'ReserveListing',
          listingId,
          dealId,
          faceValueCents: 250_000n,
          priceCents: 125_000n,
          match: { buyerId: 'buyer-globex', brokerId: 'broker-ana', commissionBps: 500, buyRequestId },
        },
        brokerContext(),
      ),
    );

    await catchUp();

    expect(await typesOf(dealStreamId(dealId))).toEqual(['DealOpened']);
    expect(await requestState(buyRequestId)).toMatchObject({ status: 'open', filledFaceValueCents: 250_000n });
  });

  it.each([
    ['cancelled', { type: 'CancelDeal', reason: 'buyer walked away' }],
    ['rejected', { type: 'RejectDeal', party: 'buyer', reason: 'price too high', rejectedBy: 'buyer-globex' }],
  ] as const)('releases the fill of a deal %s without selling: a filled request is open again; a rerun writes nothing', async (_ending, ending) => {
    const buyRequestId = await placeRequest({ faceValueCents: 400_000n });
    const listingId = await verifiedListing();
    const dealId = await openDeal(listingId, buyRequestId);
    await catchUp();
    expect(await requestState(buyRequestId)).toMatchObject({ status: 'filled' });

    await onDeal({ ...ending, dealId } as DealCommandInput);
    const handled = await catchUp();
    await processManager.handle(handled);

    const events = (await store.readStream(buyRequestStreamId(buyRequestId))).map(decodeBuyRequestEvent);
    expect(events.map((event) => event.type)).toEqual(['BuyRequestPlaced', 'BuyRequestFilled', 'BuyRequestFillReleased']);
    expect(events[2]!.data).toMatchObject({ dealId, faceValueCents: 400_000n, filledFaceValueCents: 0n });
    expect(await requestState(buyRequestId)).toMatchObject({ status: 'open', filledFaceValueCents: 0n });
    expect(await typesOf(listingStreamId(listingId))).toContain('ListingReservationReleased');
  });

  it('keeps the fill of a deal that settled', async () => {
    const buyRequestId = await placeRequest();
    const listingId = await verifiedListing();
    const dealId = await openDeal(listingId, buyRequestId);
    await catchUp();

    for (const command of settlement(dealId)) await onDeal(command);
    await catchUp();

    expect(await typesOf(buyRequestStreamId(buyRequestId))).toEqual(['BuyRequestPlaced', 'BuyRequestFilled']);
    expect(await typesOf(listingStreamId(listingId))).toContain('ListingSold');
  });

  it('cuts the fill of a deal whose terms are amended to a smaller face value: a filled request is open again; a rerun writes nothing', async () => {
    const buyRequestId = await placeRequest({ faceValueCents: 400_000n });
    const listingId = await verifiedListing();
    const dealId = await openDeal(listingId, buyRequestId);
    await catchUp();
    expect(await requestState(buyRequestId)).toMatchObject({ status: 'filled' });

    await onDeal({ type: 'AmendDealTerms', dealId, faceValueCents: 300_000n, priceCents: 150_000n });
    const handled = await catchUp();
    // A rerun from the start (the reservation too) recognises the reduced fill and writes nothing.
    await processManager.handle(handled);

    const events = (await store.readStream(buyRequestStreamId(buyRequestId))).map(decodeBuyRequestEvent);
    expect(events.map((event) => event.type)).toEqual(['BuyRequestPlaced', 'BuyRequestFilled', 'BuyRequestFillReduced']);
    expect(events[2]!.data).toMatchObject({ dealId, faceValueCents: 300_000n, releasedFaceValueCents: 100_000n, filledFaceValueCents: 300_000n });
    expect(await requestState(buyRequestId)).toMatchObject({ status: 'open', filledFaceValueCents: 300_000n });
    const amended = (await store.readStream(dealStreamId(dealId))).find((event) => event.type === 'DealTermsAmended')!;
    const reduced = (await store.readStream(buyRequestStreamId(buyRequestId)))[2]!;
    expect(reduced.metadata).toMatchObject({ actorRole: 'system', causationId: amended.id });
  });

  it('cuts the fill of a deal whose transfer confirms less than its face value, and keeps it through settlement', async () => {
    const buyRequestId = await placeRequest({ faceValueCents: 400_000n });
    const listingId = await verifiedListing();
    const dealId = await openDeal(listingId, buyRequestId);
    await catchUp();

    const commands = settlement(dealId).map((command) =>
      command.type === 'ConfirmCreditTransfer' ? { ...command, confirmedFaceValueCents: 250_000n } : command,
    );
    for (const command of commands) await onDeal(command);
    const handled = await catchUp();
    await processManager.handle(handled);

    const events = (await store.readStream(buyRequestStreamId(buyRequestId))).map(decodeBuyRequestEvent);
    expect(events.map((event) => event.type)).toEqual(['BuyRequestPlaced', 'BuyRequestFilled', 'BuyRequestFillReduced']);
    expect(events[2]!.data).toMatchObject({ dealId, faceValueCents: 250_000n, releasedFaceValueCents: 150_000n, filledFaceValueCents: 250_000n });
    expect(await requestState(buyRequestId)).toMatchObject({ status: 'open', filledFaceValueCents: 250_000n });
    // The listing sold only the confirmed face value, as the request now counts.
    expect((await store.readStream(listingStreamId(listingId))).find((event) => event.type === 'ListingSold')!.data).toMatchObject({ faceValueCents: '250000' });
  });

  it('cancels a deal whose fill the request refuses (two deals that together exceed it), and never over-fills', async () => {
    const buyRequestId = await placeRequest({ faceValueCents: 600_000n });
    const listingId = await verifiedListing();
    // Both pass the check of POST /v1/deals: neither fill is recorded yet.
    const first = await openDeal(listingId, buyRequestId);
    const second = await openDeal(listingId, buyRequestId);

    const handled = await catchUp();
    await processManager.handle(handled);

    const request = await requestState(buyRequestId);
    expect(request).toMatchObject({ status: 'open', filledFaceValueCents: 400_000n });
    expect(request.status !== 'none' && [...request.fills.keys()]).toEqual([first]);
    const secondEvents = await store.readStream(dealStreamId(second));
    expect(secondEvents.map((event) => event.type)).toEqual(['DealOpened', 'DealCancelled']);
    expect(secondEvents[1]!.data.reason).toMatch(new RegExp(`^buy request ${buyRequestId} refused this deal's fill \\(BUY_REQUEST_OVERFILLED\\)`));
    expect(secondEvents[1]!.metadata).toMatchObject({ actorId: 'reservation-process-manager', actorRole: 'system' });
    // The cancellation released the second reservation like any other.
    const listing = foldListingEvents((await store.readStream(listingStreamId(listingId))).map(decodeListingEvent));
    expect(listing).toMatchObject({ reservedFaceValueCents: 400_000n, availableFaceValueCents: 1_600_000n });
    expect(await typesOf(buyRequestStreamId(buyRequestId))).toEqual(['BuyRequestPlaced', 'BuyRequestFilled']);
  });

  it('goes on when a refused fill meets a deal past cancelling, and records nothing for it', async () => {
    const buyRequestId = await placeRequest();
    const listingId = await verifiedListing();
    const dealId = await openDeal(listingId, buyRequestId);
    // Before the process manager catches up, the deal moves to a transfer and the buyer calls the request off.
    for (const command of settlement(dealId).slice(0, 4)) await onDeal(command);
    await buyRequests.execute(new ExecuteBuyRequestCommand({ type: 'CancelBuyRequest', buyRequestId, reason: 'bought elsewhere' }, brokerContext()));

    await expect(catchUp()).resolves.toEqual(expect.any(Array));

    expect(await typesOf(dealStreamId(dealId))).toEqual(['DealOpened', 'DealApproved', 'DealApproved', 'BuyerPaymentReceived', 'CreditTransferStarted']);
    expect(await typesOf(buyRequestStreamId(buyRequestId))).toEqual(['BuyRequestPlaced', 'BuyRequestCancelled']);
  });

  it('records neither fill nor release for a deal that ended before the process manager saw its reservation', async () => {
    const buyRequestId = await placeRequest();
    const listingId = await verifiedListing();
    const dealId = await openDeal(listingId, buyRequestId);
    await onDeal({ type: 'CancelDeal', dealId, reason: 'changed plans' });

    await catchUp();

    expect(await typesOf(buyRequestStreamId(buyRequestId))).toEqual(['BuyRequestPlaced']);
    expect(await typesOf(listingStreamId(listingId))).toContain('ListingReservationReleased');
  });

  it('after the request’s deadline, releases the fill and leaves the request open for the deadline worker', async () => {
    const buyRequestId = await placeRequest({ faceValueCents: 400_000n });
    const listingId = await verifiedListing();
    const dealId = await openDeal(listingId, buyRequestId);
    await catchUp();

    nowMs = DEADLINE.getTime() + DAY_MS;
    await onDeal({ type: 'CancelDeal', dealId, reason: 'buyer walked away' });
    await catchUp();

    expect(await requestState(buyRequestId)).toMatchObject({ status: 'open', filledFaceValueCents: 0n });
    expect(await refusal(openDeal(listingId, buyRequestId))).toMatchObject({ code: 'BUY_REQUEST_MISMATCH', details: { reasons: ['request_deadline_passed'] } });
  });
});

/** The deal commands from opening to settlement: approvals, payment, transfer (started, confirmed), payout. */
function settlement(dealId: string): DealCommandInput[] {
  const commands: Array<Exclude<DealCommand, { type: 'OpenDeal' | 'AmendDealTerms' }>> = [
    { type: 'ApproveDeal', dealId, party: 'seller', termsVersion: 1, approvedBy: 'seller-acme' },
    { type: 'ApproveDeal', dealId, party: 'buyer', termsVersion: 1, approvedBy: 'buyer-globex' },
    { type: 'ReceiveBuyerPayment', dealId, amountCents: 200_000n, paymentRef: `wire-${dealId}` },
    { type: 'StartCreditTransfer', dealId, mechanism: 'organization_membership', reference: 'invite-1' },
    { type: 'ConfirmCreditTransfer', dealId, confirmedFaceValueCents: 400_000n, evidence: { method: 'provider_console', reference: 'member-added' } },
    { type: 'IssueSellerPayout', dealId, payoutRef: `payout-${dealId}` },
  ];
  return commands;
}
