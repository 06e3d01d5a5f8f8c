/**
 * Match suggestions from the views, as a specification: given the facts the
 * write side records (decided by the domain's deciders, projected by the
 * real listing and buy-request views), then the suggestions. A property
 * test checks them against the domain over random markets: every suggestion
 * fits its request (offerMismatches), and the page is exactly the best
 * `limit` offers in the order of compareBuyRequestOffers, whatever the size
 * of the candidate batches the SQL is read in.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import pg from 'pg';
import {
  DEFAULT_LISTING_POLICY,
  DomainError,
  buyRequestDecider,
  buyRequestStreamId,
  compareBuyRequestOffers,
  isListingMatchable,
  listingDecider,
  listingStreamId,
  offerFits,
  offerMismatches,
  rankOffersForBuyRequest,
  type AvailableListing,
  type BuyRequestCommand,
  type BuyRequestOffer,
  type BuyRequestState,
  type CreditType,
  type ExistingBuyRequest,
  type ListingCommand,
  type ListingState,
} from '#domain';
import { PostgresEventStore, comparePositions, type EventStore, type EventToAppend, type LogPosition } from '#event-store';
import { createTestDatabase, decideEvents, type EncodingDecider, type TestDatabase } from '#testing';
import { ledgerMigrations } from '../database/ledger-migrations.js';
import { buyRequestViewProjection } from '../projections/buy-request-view.js';
import { listingViewProjection } from '../projections/listing-view.js';
import { DurableSubscription } from '../subscriptions/durable-subscription.js';
import {
  BuyRequestMatchesQuery,
  BuyRequestMatchesQueryHandler,
  ListingMatchesQuery,
  ListingMatchesQueryHandler,
  proRatedAskCents,
  type MatchSuggestionSettings,
} from './match-suggestions.js';
import type { MatchSuggestionAnswer } from './read-model-answers.js';
import type { ReadModelDatabase } from './read-model-database.js';
import { ProjectionCatchUp } from './read-your-writes.js';

const NOW = new Date('2026-11-23T10:00:00.000Z');
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const POLICY = DEFAULT_LISTING_POLICY;
const days = (n: number) => new Date(NOW.getTime() + n * DAY_MS);

let database: TestDatabase;
let pool: pg.Pool;
let store: EventStore;
let subscriptions: DurableSubscription[];

beforeAll(async () => {
  database = await createTestDatabase(ledgerMigrations);
  pool = new pg.Pool({ connectionString: database.url, max: 8 });
  store = new PostgresEventStore(new pg.Pool({ connectionString: database.url, max: 8 }));
  subscriptions = [listingViewProjection(), buyRequestViewProjection()].map((subscriber) => new DurableSubscription(pool, store, subscriber, { pollIntervalMs: 5 }));
  for (const subscription of subscriptions) subscription.start();
});

afterAll(async () => {
  await Promise.all((subscriptions ?? []).map((subscription) => subscription.stop()));
  await pool?.end();
  await store?.close();
  await database?.drop();
});

/**
 * The position of the last event this file appended. Not the store's head: that is the last event below the
 * oldest transaction still open anywhere on the server, which another test file's open batch may hold back.
 */
let appendedUpTo: LogPosition | null = null;

async function caughtUp(): Promise<void> {
  const head = appendedUpTo;
  const deadline = Date.now() + 10_000;
  for (;;) {
    const statuses = subscriptions.map((subscription) => subscription.status());
    if (statuses.every((status) => head === null || (status.position !== null && comparePositions(status.position, head) >= 0))) return;
    if (Date.now() > deadline) throw new Error(`views did not catch up: ${statuses.map((s) => `${s.name} ${s.state} ${s.error ?? ''}`).join('; ')}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const metadata = () => ({ actorId: 'broker-ana', actorRole: 'broker', correlationId: randomUUID(), causationId: null, occurredAt: NOW.toISOString(), schemaVersion: 1 });

/** The commands decided at NOW in order, each one the decider refuses left out; the stream appended; its state returned. */
async function record<State, Command, Event>(decider: EncodingDecider<State, Command, Event>, streamId: string, commands: readonly Command[]): Promise<State> {
  let state = decider.initialState;
  const events: EventToAppend[] = [];
  for (const command of commands) {
    try {
      const decided = decideEvents(decider, [command], NOW, metadata, state);
      state = decided.state;
      events.push(...decided.events);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
    }
  }
  if (events.length > 0) {
    const { position } = await store.append(streamId, events, 'no_stream');
    if (appendedUpTo === null || comparePositions(position, appendedUpTo) > 0) appendedUpTo = position;
  }
  return state;
}

interface ListingTerms {
  readonly provider?: string;
  readonly creditType?: CreditType;
  readonly verifiedFaceValueCents?: bigint;
  readonly askPriceCents?: bigint;
  readonly creditExpiresAt?: Date;
  /** Face value reserved after verification; withdrawn: the unreserved rest taken off the market; submitted: never verified. */
  readonly reservedFaceValueCents?: bigint;
  readonly fate?: 'verified' | 'submitted' | 'withdrawn' | 'rejected';
}

async function recordListing(terms: ListingTerms = {}): Promise<{ listingId: string; state: ListingState }> {
  const listingId = randomUUID();
  const verified = terms.verifiedFaceValueCents ?? 1_000_000n;
  const expires = terms.creditExpiresAt ?? days(120);
  const commands: ListingCommand[] = [
    {
      type: 'SubmitListing',
      submittedBy: 'broker-ana',
      listingId,
      sellerId: 'seller-acme',
      provider: terms.provider ?? 'openai',
      creditType: terms.creditType ?? 'prepaid_api',
      providerOrgRef: 'org-1',
      currency: 'USD',
      claimedFaceValueCents: verified,
      creditExpiresAt: expires,
      askPriceCents: terms.askPriceCents ?? 500_000n,
    },
  ];
  const fate = terms.fate ?? 'verified';
  if (fate === 'rejected') commands.push({ type: 'FailListingVerification', listingId, reason: 'no such organisation' });
  if (fate !== 'submitted' && fate !== 'rejected') {
    commands.push({
      type: 'VerifyListing',
      listingId,
      verifiedBy: 'ops',
      verifiedFaceValueCents: verified,
      verifiedExpiresAt: expires,
      evidence: { method: 'provider_console', reference: 'ticket-1', checkedAt: NOW },
    });
  }
  if (terms.reservedFaceValueCents !== undefined && terms.reservedFaceValueCents > 0n) {
    commands.push({
      type: 'ReserveListing',
      listingId,
      dealId: randomUUID(),
      faceValueCents: terms.reservedFaceValueCents,
      priceCents: 1n,
      match: { buyerId: 'buyer-other', brokerId: 'broker-ana', commissionBps: 1_000, buyRequestId: null },
    });
  }
  if (fate === 'withdrawn') commands.push({ type: 'WithdrawListing', listingId, reason: 'sold elsewhere' });
  return { listingId, state: await record(listingDecider, listingStreamId(listingId), commands) };
}

interface RequestTerms {
  readonly provider?: string;
  readonly creditTypes?: CreditType[];
  readonly faceValueCents?: bigint;
  readonly filledFaceValueCents?: bigint;
  readonly maxPriceBps?: number;
  readonly minValidityDays?: number;
  readonly deadline?: Date;
  readonly cancelled?: boolean;
}

async function recordRequest(terms: RequestTerms = {}): Promise<{ buyRequestId: string; state: ExistingBuyRequest }> {
  const buyRequestId = randomUUID();
  const commands: BuyRequestCommand[] = [
    {
      type: 'PlaceBuyRequest',
      placedBy: 'broker-ana',
      buyRequestId,
      buyerId: 'buyer-globex',
      provider: terms.provider ?? 'openai',
      creditTypes: terms.creditTypes ?? ['prepaid_api', 'startup_program'],
      faceValueCents: terms.faceValueCents ?? 1_000_000n,
      maxPriceBps: terms.maxPriceBps ?? 6_000,
      minValidityDays: terms.minValidityDays ?? 30,
      deadline: terms.deadline ?? days(30),
    },
  ];
  if (terms.filledFaceValueCents !== undefined && terms.filledFaceValueCents > 0n) {
    commands.push({ type: 'RecordBuyRequestFill', buyRequestId, dealId: randomUUID(), faceValueCents: terms.filledFaceValueCents });
  }
  if (terms.cancelled === true) commands.push({ type: 'CancelBuyRequest', buyRequestId, reason: 'bought elsewhere' });
  const state: BuyRequestState = await record(buyRequestDecider, buyRequestStreamId(buyRequestId), commands);
  if (state.status === 'none') throw new Error('the spec placed no request');
  return { buyRequestId, state };
}

const checkpoints = new ProjectionCatchUp(async () => new Map());
const matchesOfRequest = (buyRequestId: string, limit: number, now: Date, settings: MatchSuggestionSettings = { listingPolicy: POLICY }, db: ReadModelDatabase = pool) =>
  new BuyRequestMatchesQueryHandler(db, checkpoints, settings).execute(new BuyRequestMatchesQuery(buyRequestId, limit, now));
const matchesOfListing = (listingId: string, limit: number, now: Date, db: ReadModelDatabase = pool) =>
  new ListingMatchesQueryHandler(db, checkpoints, { listingPolicy: POLICY }).execute(new ListingMatchesQuery(listingId, limit, now));

describe('proRatedAskCents', () => {
  it('is the ask for the whole at the whole, and rounds a part up', () => {
    expect(proRatedAskCents(600_000n, 1_000_000n, 1_000_000n)).toBe(600_000n);
    expect(proRatedAskCents(600_000n, 1_000_000n, 250_000n)).toBe(150_000n);
    expect(proRatedAskCents(1n, 3n, 1n)).toBe(1n);
    expect(proRatedAskCents(1_500_000n, 3_000_001n, 1_000_000n)).toBe(500_000n);
  });
});

describe('GET /v1/buy-requests/:id/matches, from the views', () => {
  it('ranks the fitting listings by price per face value, then the soonest expiry, and leaves out every misfit', async () => {
    const provider = `openai-${randomUUID().slice(0, 8)}`;
    const { buyRequestId } = await recordRequest({ provider, deadline: days(45) });
    const listing = (terms: ListingTerms) => recordListing({ provider, ...terms });
    // A third of face value for three cents: the cheapest per face value of all.
    const tiny = await listing({ verifiedFaceValueCents: 3n, askPriceCents: 1n });
    const half = await listing({ verifiedFaceValueCents: 2_000_000n, askPriceCents: 1_000_000n, creditExpiresAt: days(120) });
    const halfSooner = await listing({ creditType: 'startup_program', verifiedFaceValueCents: 400_000n, askPriceCents: 200_000n, creditExpiresAt: days(60) });
    // Just under half for the whole, exactly half for the part the request takes (rounded up).
    const halfRounded = await listing({ verifiedFaceValueCents: 3_000_001n, askPriceCents: 1_500_000n, creditExpiresAt: days(90) });
    const dearer = await listing({ askPriceCents: 550_000n });
    await listing({ askPriceCents: 600_001n });
    await listing({ creditType: 'fine_tuning' });
    await listing({ provider: `${provider}-other` });
    await listing({ creditExpiresAt: days(29) });
    await listing({ reservedFaceValueCents: 1_000_000n });
    await listing({ fate: 'submitted' });
    await listing({ fate: 'rejected' });
    await listing({ fate: 'withdrawn', reservedFaceValueCents: 1n });
    await caughtUp();

    const suggestions = await matchesOfRequest(buyRequestId, 20, NOW);

    expect(suggestions).toEqual([
      { listingId: tiny.listingId, buyRequestId, availableFaceValueCents: '3', priceCents: '1', discountBps: 6_666, creditExpiresAt: days(120).toISOString(), sellerId: 'seller-acme', buyerId: 'buyer-globex', creditType: 'prepaid_api' },
      expect.objectContaining({ listingId: halfSooner.listingId, availableFaceValueCents: '400000', priceCents: '200000', discountBps: 5_000, creditType: 'startup_program' }),
      expect.objectContaining({ listingId: halfRounded.listingId, availableFaceValueCents: '1000000', priceCents: '500000', discountBps: 5_000 }),
      expect.objectContaining({ listingId: half.listingId, availableFaceValueCents: '1000000', priceCents: '500000' }),
      expect.objectContaining({ listingId: dearer.listingId, priceCents: '550000', discountBps: 4_500 }),
    ]);
    expect(await matchesOfRequest(buyRequestId, 2, NOW)).toEqual(suggestions?.slice(0, 2));
    // A moment past 30 days on, the credits that expire at 60 days have less than the 30 days of validity the request asks for.
    expect((await matchesOfRequest(buyRequestId, 20, new Date(days(30).getTime() + 1)))?.map((s) => s.listingId)).toEqual([tiny.listingId, halfRounded.listingId, half.listingId, dearer.listingId]);
  });

  it('answers none for a request past its deadline or closed, and null for an unknown one', async () => {
    const { buyRequestId } = await recordRequest({ deadline: days(10) });
    const { buyRequestId: cancelled } = await recordRequest({ cancelled: true });
    await recordListing();
    await caughtUp();
    expect(await matchesOfRequest(buyRequestId, 20, days(10))).toEqual([]);
    expect(await matchesOfRequest(cancelled, 20, NOW)).toEqual([]);
    expect(await matchesOfRequest(randomUUID(), 20, NOW)).toBeNull();
  });

  it('reads the candidates through the partial price index, in the order it keeps', async () => {
    const { buyRequestId } = await recordRequest();
    await caughtUp();
    const plans: string[] = [];
    const explaining: ReadModelDatabase = {
      async query(sql, parameters) {
        const client = await pool.connect();
        try {
          // Whether the index can serve the query at all (its expression must be the query's); on a small table the planner would rather scan.
          await client.query('SET enable_seqscan = off');
          if (sql.includes('listing_view l')) plans.push(JSON.stringify((await client.query(`EXPLAIN (FORMAT JSON) ${sql}`, parameters)).rows));
          return await client.query(sql, parameters);
        } finally {
          await client.query('RESET enable_seqscan');
          client.release();
        }
      },
    };
    await matchesOfRequest(buyRequestId, 5, NOW, { listingPolicy: POLICY, candidateBatchSize: 1 }, explaining);
    expect(plans.length).toBeGreaterThan(0);
    for (const plan of plans) expect(plan).toContain('listing_view_matchable_price_idx');
  });
});

describe('GET /v1/listings/:id/matches, from the views', () => {
  it('ranks the open requests the listing could fill: price per face value, then the larger fill, then the sooner deadline', async () => {
    const provider = `openai-${randomUUID().slice(0, 8)}`;
    const { listingId } = await recordListing({ provider, verifiedFaceValueCents: 2_000_000n, askPriceCents: 1_000_000n, creditExpiresAt: days(120) });
    const request = (terms: RequestTerms) => recordRequest({ provider, ...terms });
    const wantsMore = await request({ faceValueCents: 3_000_000n, maxPriceBps: 5_000 });
    const wantsLess = await request({ faceValueCents: 1_000_000n, deadline: days(20) });
    const wantsLessLater = await request({ faceValueCents: 1_500_000n, filledFaceValueCents: 500_000n, deadline: days(40) });
    // 3 cents of a listing at one half: 2 cents rounded up, two thirds of face value.
    const wantsLittle = await request({ faceValueCents: 3n, maxPriceBps: 10_000 });
    await request({ maxPriceBps: 4_999 });
    await request({ provider: `${provider}-other` });
    await request({ creditTypes: ['fine_tuning'] });
    await request({ minValidityDays: 121 });
    await request({ cancelled: true });
    await request({ faceValueCents: 500_000n, filledFaceValueCents: 500_000n });
    await caughtUp();

    const suggestions = await matchesOfListing(listingId, 20, NOW);

    expect(suggestions?.map((s) => [s.buyRequestId, s.availableFaceValueCents, s.priceCents, s.discountBps])).toEqual([
      [wantsMore.buyRequestId, '2000000', '1000000', 5_000],
      [wantsLess.buyRequestId, '1000000', '500000', 5_000],
      [wantsLessLater.buyRequestId, '1000000', '500000', 5_000],
      [wantsLittle.buyRequestId, '3', '2', 3_333],
    ]);
    expect(suggestions?.every((s) => s.listingId === listingId && s.sellerId === 'seller-acme' && s.buyerId === 'buyer-globex')).toBe(true);
    expect(await matchesOfListing(listingId, 1, NOW)).toEqual(suggestions?.slice(0, 1));
    // Within the expiry margin the listing is off the market: nothing to suggest.
    expect(await matchesOfListing(listingId, 20, new Date(days(120).getTime() - POLICY.expiryMarginMs))).toEqual([]);
    expect(await matchesOfListing(randomUUID(), 20, NOW)).toBeNull();
  });
});

// ---------------------------------------------------------------- the property

const TYPES = ['prepaid_api', 'startup_program', 'fine_tuning'] as const satisfies readonly CreditType[];
/** Round prices per face value, so that ties (and the tie-breaks) are common. */
const ROUND_BPS = [4_000, 5_000, 5_500, 6_000, 7_000];

const listingArbitrary = fc.record({
  otherProvider: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
  creditType: fc.constantFrom(...TYPES),
  verifiedFaceValueCents: fc.oneof(fc.bigInt({ min: 1n, max: 40n }), fc.bigInt({ min: 1n, max: 20_000n }), fc.constantFrom(1_000n, 5_000n, 10_000n)),
  priceBps: fc.oneof(fc.constantFrom(...ROUND_BPS), fc.integer({ min: 2_000, max: 9_000 }), fc.integer({ min: 1, max: 12_000 })),
  expiryHours: fc.oneof(fc.constantFrom(30 * 24, 60 * 24, 90 * 24), fc.integer({ min: 4 * 24, max: 150 * 24 })),
  reservedPercent: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 100 })),
  fate: fc.constantFrom('verified', 'verified', 'verified', 'verified', 'verified', 'verified', 'submitted', 'withdrawn', 'rejected'),
});

/** Listings that tie: two prices per face value, two expiries, one credit type, all on the market. The tie-breaks and the batch edges meet here. */
const tiedListingArbitrary = fc.record({
  otherProvider: fc.constant(false),
  creditType: fc.constant<CreditType>('prepaid_api'),
  verifiedFaceValueCents: fc.oneof(fc.bigInt({ min: 1n, max: 40n }), fc.constantFrom(1_000n, 3_000n, 7_000n)),
  priceBps: fc.constantFrom(5_000, 6_000),
  expiryHours: fc.constantFrom(30 * 24, 60 * 24),
  reservedPercent: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 99 })),
  fate: fc.constant('verified'),
});

const requestArbitrary = fc.record({
  otherProvider: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
  creditTypes: fc.subarray([...TYPES], { minLength: 1 }),
  faceValueCents: fc.oneof(fc.bigInt({ min: 1n, max: 50n }), fc.bigInt({ min: 1n, max: 30_000n })),
  filledPercent: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 100 })),
  maxPriceBps: fc.oneof(fc.constantFrom(...ROUND_BPS, 10_000), fc.integer({ min: 5_000, max: 10_000 }), fc.integer({ min: 1, max: 10_000 })),
  minValidityDays: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 130 })),
  /** From the moment of the query: mostly ahead of it, sometimes just behind. */
  deadlineAfterNowHours: fc.oneof(fc.integer({ min: 1, max: 40 * 24 }), fc.integer({ min: -24, max: 24 })),
  cancelled: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
});

/** What the domain says the page is: every matchable listing offered, the fitting offers ranked, the first `limit`. */
function expectedForRequest(request: ExistingBuyRequest, listings: readonly ListingState[], now: Date, limit: number): BuyRequestOffer[] {
  const unfilled = request.faceValueCents - request.filledFaceValueCents;
  if (unfilled <= 0n) return [];
  const offers = listings
    .filter((listing): listing is AvailableListing => isListingMatchable(listing, now, POLICY))
    .map((listing) => offerOf(listing, unfilled));
  return rankOffersForBuyRequest(request, offers, now).slice(0, limit);
}

function offerOf(listing: AvailableListing, unfilled: bigint): BuyRequestOffer {
  const faceValueCents = listing.availableFaceValueCents < unfilled ? listing.availableFaceValueCents : unfilled;
  return {
    listingId: listing.listingId,
    provider: listing.provider,
    creditType: listing.creditType,
    faceValueCents,
    priceCents: proRatedAskCents(listing.askPriceCents, listing.verifiedFaceValueCents, faceValueCents),
    creditExpiresAt: listing.creditExpiresAt,
  };
}

/** The same for one listing: the open requests it fits, by the comparator, then the sooner deadline, then the id. */
function expectedForListing(listing: ListingState, requests: ReadonlyArray<{ buyRequestId: string; state: ExistingBuyRequest }>, now: Date, limit: number) {
  if (!isListingMatchable(listing, now, POLICY)) return [];
  return requests
    .filter(({ state }) => state.faceValueCents > state.filledFaceValueCents)
    .map(({ buyRequestId, state }) => ({ buyRequestId, state, offer: offerOf(listing as AvailableListing, state.faceValueCents - state.filledFaceValueCents) }))
    .filter(({ state, offer }) => offerFits(state, offer, now))
    .sort(
      (a, b) =>
        compareBuyRequestOffers(a.offer, b.offer) ||
        a.state.deadline.getTime() - b.state.deadline.getTime() ||
        (a.buyRequestId < b.buyRequestId ? -1 : a.buyRequestId > b.buyRequestId ? 1 : 0),
    )
    .slice(0, limit);
}

const shape = (suggestions: readonly MatchSuggestionAnswer[] | null) =>
  suggestions?.map((s) => [s.listingId, s.buyRequestId, s.availableFaceValueCents, s.priceCents, s.creditExpiresAt]);

describe('match suggestions, as a property over random markets', () => {
  it('always fit their request, and are exactly the best offers in the domain comparator order', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.array(listingArbitrary, { maxLength: 60, size: 'max' }), fc.array(fc.oneof(listingArbitrary, tiedListingArbitrary), { maxLength: 60, size: 'max' })),
        fc.array(requestArbitrary, { minLength: 1, maxLength: 8, size: 'max' }),
        fc.integer({ min: 1, max: 8 }),
        fc.oneof(fc.integer({ min: 1, max: 6 }), fc.constant(undefined)),
        fc.integer({ min: 0, max: 20 * 24 }),
        async (listingSpecs, requestSpecs, limit, candidateBatchSize, nowHours) => {
          // A provider of its own per run: the views keep every earlier run's rows, as other markets.
          const provider = `prop-${randomUUID().slice(0, 12)}`;
          const listings = await Promise.all(
            listingSpecs.map((spec) => {
              const verified = spec.verifiedFaceValueCents;
              const ask = (verified * BigInt(spec.priceBps)) / 10_000n;
              return recordListing({
                provider: spec.otherProvider ? `${provider}-x` : provider,
                creditType: spec.creditType,
                verifiedFaceValueCents: verified,
                askPriceCents: ask > 0n ? ask : 1n,
                creditExpiresAt: new Date(NOW.getTime() + spec.expiryHours * HOUR_MS),
                reservedFaceValueCents: (verified * BigInt(spec.reservedPercent)) / 100n,
                fate: spec.fate,
              });
            }),
          );
          const requests = await Promise.all(
            requestSpecs.map((spec) =>
              recordRequest({
                provider: spec.otherProvider ? `${provider}-x` : provider,
                creditTypes: spec.creditTypes,
                faceValueCents: spec.faceValueCents,
                filledFaceValueCents: (spec.faceValueCents * BigInt(spec.filledPercent)) / 100n,
                maxPriceBps: spec.maxPriceBps,
                minValidityDays: spec.minValidityDays,
                deadline: new Date(NOW.getTime() + Math.max(1, nowHours + spec.deadlineAfterNowHours) * HOUR_MS),
                cancelled: spec.cancelled,
              }),
            ),
          );
          await caughtUp();
          const now = new Date(NOW.getTime() + nowHours * HOUR_MS);
          const listingStates = listings.map((listing) => listing.state);

          for (const request of requests) {
            const suggestions = await matchesOfRequest(request.buyRequestId, limit, now, { listingPolicy: POLICY, candidateBatchSize });
            const byId = new Map(listingStates.map((state) => [state.status === 'none' ? '' : state.listingId, state]));
            const offers = (suggestions ?? []).map((s): BuyRequestOffer => {
              const listing = byId.get(s.listingId) as AvailableListing;
              return {
                listingId: s.listingId,
                provider: listing.provider,
                creditType: s.creditType as CreditType,
                faceValueCents: BigInt(s.availableFaceValueCents),
                priceCents: BigInt(s.priceCents),
                creditExpiresAt: new Date(s.creditExpiresAt),
              };
            });
            for (const offer of offers) expect(offerMismatches(request.state, offer, now)).toEqual([]);
            for (let i = 1; i < offers.length; i += 1) expect(compareBuyRequestOffers(offers[i - 1]!, offers[i]!)).toBeLessThan(0);
            const expected = expectedForRequest(request.state, listingStates, now, limit);
            expect(shape(suggestions)).toEqual(
              expected.map((offer) => [offer.listingId, request.buyRequestId, offer.faceValueCents.toString(), offer.priceCents.toString(), offer.creditExpiresAt.toISOString()]),
            );
          }

          for (const listing of listings) {
            const suggestions = await matchesOfListing(listing.listingId, limit, now);
            const expected = expectedForListing(listing.state, requests, now, limit);
            expect(shape(suggestions)).toEqual(
              expected.map(({ buyRequestId, offer }) => [listing.listingId, buyRequestId, offer.faceValueCents.toString(), offer.priceCents.toString(), offer.creditExpiresAt.toISOString()]),
            );
          }
        },
      ),
      { numRuns: 80 },
    );
  });
});
