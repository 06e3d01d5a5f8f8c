import { randomUUID } from 'node:crypto';
import pg from 'pg';
import {
  buyRequestDecider,
  buyRequestStreamId,
  dealDecider,
  dealStreamId,
  listingDecider,
  listingStreamId,
  type BuyRequestCommand,
  type DealCommand,
  type ListingCommand,
} from '#domain';
import { PostgresEventStore, comparePositions, type EventStore } from '#event-store';
import { createTestDatabase, decideEvents, type EncodingDecider, type TestDatabase } from '#testing';
import { ledgerMigrations } from '../database/ledger-migrations.js';
import { buyRequestViewProjection } from '../projections/buy-request-view.js';
import { dealViewProjection } from '../projections/deal-view.js';
import { listingViewProjection } from '../projections/listing-view.js';
import { ProjectionCatchUp, postgresCheckpointReader } from '../queries/read-your-writes.js';
import { DurableSubscription, type LogSubscriber } from '../subscriptions/durable-subscription.js';
import { DashboardSummaryQuery, DashboardSummaryQueryHandler } from './dashboard-queries.js';
import {
  summarizeDashboard,
  summarizeTimings,
  timingPeriod,
  timingPeriodProblem,
  type DashboardAggregateRow,
  type DashboardTimings,
  type DurationFigure,
  type TimingPeriod,
} from './dashboard-summary.js';

const row = (kind: DashboardAggregateRow['kind'], key: string, currency: string, count: number, cents: string): DashboardAggregateRow => ({ kind, key, currency, count: String(count), cents });
const asOf = new Date('2026-11-23T10:00:00.000Z');

describe('the dashboard summary', () => {
  it('answers zeros and empty amounts, every status present, when there is nothing', () => {
    const summary = summarizeDashboard([], asOf, null);
    expect(summary).toEqual({
      asOf: '2026-11-23T10:00:00.000Z',
      scope: { kind: 'all' },
      pipeline: { awaiting_approvals: 0, approved: 0, funded: 0, transferring: 0, transferred: 0, settled: 0, rejected: 0, cancelled: 0, expired: 0, disputed: 0, total: 0 },
      volume: { settledDeals: 0, settledPriceCents: {}, openDeals: 0, openPriceCents: {} },
      commissionEarnedCents: {},
      expiring: { within7Days: { listings: 0, faceValueCents: {} }, within30Days: { listings: 0, faceValueCents: {} }, within90Days: { listings: 0, faceValueCents: {} } },
      lostToExpiry: { expiredListings: 0, faceValueCents: {}, dealsExpiredOnCreditExpiry: 0, dealsExpiredOnCreditExpiryFaceValueCents: {} },
      rescuedFromExpiry: { horizonDays: 90, deals: 0, faceValueCents: {} },
    });
  });

  it('counts the pipeline across currencies, and sums volume per currency: settled apart, open over the non-final statuses', () => {
    const summary = summarizeDashboard(
      [
        row('deals', 'settled', 'USD', 2, '500000'),
        row('deals', 'settled', 'EUR', 1, '100'),
        row('deals', 'awaiting_approvals', 'USD', 1, '7'),
        row('deals', 'funded', 'USD', 3, '30'),
        row('deals', 'disputed', 'EUR', 1, '5'),
        row('deals', 'transferred', 'USD', 1, '9007199254740993'),
        row('deals', 'cancelled', 'USD', 4, '999'),
        row('deals', 'expired', 'USD', 1, '1'),
        row('deals', 'rejected', 'USD', 1, '1'),
      ],
      asOf,
      'broker-ana',
    );
    expect(summary.scope).toEqual({ kind: 'broker', brokerId: 'broker-ana' });
    expect(summary.pipeline).toMatchObject({ settled: 3, awaiting_approvals: 1, funded: 3, disputed: 1, transferred: 1, cancelled: 4, expired: 1, rejected: 1, approved: 0, transferring: 0, total: 15 });
    // Exact past 2^53: summed as bigint, never as a number.
    expect(summary.volume).toEqual({ settledDeals: 3, settledPriceCents: { EUR: '100', USD: '500000' }, openDeals: 6, openPriceCents: { EUR: '5', USD: '9007199254741030' } });
    expect(Object.keys(summary.volume.settledPriceCents)).toEqual(['EUR', 'USD']);
  });

  it('places each expiry window, lost and rescued value and commission in its own figure', () => {
    const summary = summarizeDashboard(
      [
        row('commission', '', 'USD', 2, '50000'),
        row('expiring', '7', 'USD', 1, '100'),
        row('expiring', '30', 'USD', 2, '300'),
        row('expiring', '90', 'USD', 3, '600'),
        row('expiring', '90', 'EUR', 1, '1'),
        row('lost', '', 'USD', 2, '250000'),
        row('deals_expired_on_credit_expiry', '', 'USD', 1, '40000'),
        row('rescued', '', 'USD', 1, '400000'),
      ],
      asOf,
      null,
    );
    expect(summary.commissionEarnedCents).toEqual({ USD: '50000' });
    expect(summary.expiring).toEqual({
      within7Days: { listings: 1, faceValueCents: { USD: '100' } },
      within30Days: { listings: 2, faceValueCents: { USD: '300' } },
      within90Days: { listings: 4, faceValueCents: { EUR: '1', USD: '600' } },
    });
    expect(summary.lostToExpiry).toEqual({ expiredListings: 2, faceValueCents: { USD: '250000' }, dealsExpiredOnCreditExpiry: 1, dealsExpiredOnCreditExpiryFaceValueCents: { USD: '40000' } });
    expect(summary.rescuedFromExpiry).toEqual({ horizonDays: 90, deals: 1, faceValueCents: { USD: '400000' } });
  });

  it('refuses rows it has no place for rather than dropping them', () => {
    expect(() => summarizeDashboard([row('deals', 'lost_in_space', 'USD', 1, '1')], asOf, null)).toThrow(/unknown deal status/);
    expect(() => summarizeDashboard([row('expiring', '14', 'USD', 1, '1')], asOf, null)).toThrow(/no expiry window of 14 days/);
  });
});

describe('the dashboard timings, shaped', () => {
  const period: TimingPeriod = { from: new Date('2026-11-01T00:00:00.000Z'), to: new Date('2026-11-23T10:00:00.000Z') };

  it('answers every measure, with no sample and null percentiles when there is none, and names the bounds of its period', () => {
    expect(summarizeTimings([], period)).toEqual({
      timings: {
        period: { fromInclusive: '2026-11-01T00:00:00.000Z', toExclusive: '2026-11-23T10:00:00.000Z' },
        timeToMatch: {
          listingVerifiedToFirstDeal: { samples: 0, medianMs: null, p90Ms: null },
          buyRequestPlacedToFirstFill: { samples: 0, medianMs: null, p90Ms: null },
        },
        timeToSettle: { samples: 0, medianMs: null, p90Ms: null },
      },
    });
  });

  it('places each measure in its figure as whole milliseconds, and refuses anything else', () => {
    const timings = summarizeTimings([{ measure: 'deal_opened_to_settled', samples: '3', median_ms: '86400000', p90_ms: '31622400000' }], period).timings;
    expect(timings.timeToSettle).toEqual({ samples: 3, medianMs: 86_400_000, p90Ms: 31_622_400_000 });
    expect(() => summarizeTimings([{ measure: 'deal_opened_to_settled', samples: '1', median_ms: '12.5', p90_ms: '13' }], period)).toThrow(/whole number of milliseconds/);
    expect(() => summarizeTimings([{ measure: 'coffee_to_code' as 'deal_opened_to_settled', samples: '1', median_ms: '1', p90_ms: '1' }], period)).toThrow(/no timing measure coffee_to_code/);
  });

  it('defaults the period to the 30 days up to now, or before the `to` named, and refuses an empty, inverted or over-long one', () => {
    const now = new Date('2026-11-23T10:00:00.000Z');
    expect(timingPeriod(undefined, undefined, now)).toEqual({ from: new Date('2026-10-24T10:00:00.000Z'), to: now });
    expect(timingPeriod(undefined, new Date('2026-02-01T00:00:00.000Z'), now)).toEqual({ from: new Date('2026-01-02T00:00:00.000Z'), to: new Date('2026-02-01T00:00:00.000Z') });
    expect(timingPeriod(new Date('2026-11-01T00:00:00.000Z'), undefined, now)).toEqual({ from: new Date('2026-11-01T00:00:00.000Z'), to: now });
    expect(timingPeriodProblem({ from: now, to: now })).toBe('from must be before to');
    expect(timingPeriodProblem({ from: new Date(now.getTime() + 1), to: now })).toBe('from must be before to');
    expect(timingPeriodProblem({ from: new Date('2024-01-01T00:00:00.000Z'), to: new Date('2025-01-01T00:00:00.000Z') })).toBeNull(); // 366 days: a leap year
    expect(timingPeriodProblem({ from: new Date('2024-01-01T00:00:00.000Z'), to: new Date('2025-01-01T00:00:00.001Z') })).toMatch(/at most 366 days/);
  });
});

/**
 * Given events as the write side records them, each at its own time, folded
 * by the real projections into listing_view, deal_view and buy_request_view,
 * and read by the query handler: exact medians and 90th percentiles.
 * percentile_disc is the nearest-rank percentile: of n sorted samples the
 * median is the ceil(n/2)-th (the lower middle one when n is even) and the
 * 90th percentile the ceil(0.9 n)-th.
 */
describe('the dashboard timings, given events', () => {
  let database: TestDatabase;
  let pool: pg.Pool;
  let store: EventStore;
  let handler: DashboardSummaryQueryHandler;

  const B = Date.parse('2026-11-10T00:00:00.000Z');
  const SECOND_MS = 1_000;
  const DAY_MS = 86_400_000;
  const at = (ms: number): Date => new Date(B + ms);
  const CREDIT_EXPIRY = new Date('2027-06-01T00:00:00.000Z');
  const metadata = () => ({ actorId: 'broker-ana', actorRole: 'broker', correlationId: randomUUID(), causationId: null, occurredAt: new Date(B).toISOString(), schemaVersion: 1 });

  /** Decides each command at its own time, in order, and appends the stream's events at once. */
  async function recordTimeline<State, Command, Event>(decider: EncodingDecider<State, Command, Event>, streamId: string, steps: ReadonlyArray<readonly [Date, Command]>): Promise<void> {
    let state = decider.initialState;
    const events = [];
    for (const [now, command] of steps) {
      const decided = decideEvents(decider, [command], now, metadata, state);
      state = decided.state;
      events.push(...decided.events);
    }
    await store.append(streamId, events, 'no_stream');
  }

  async function verifiedListing(verifiedAt: Date): Promise<string> {
    const listingId = randomUUID();
    const steps: Array<readonly [Date, ListingCommand]> = [
      [
        verifiedAt,
        {
          type: 'SubmitListing',
          submittedBy: 'broker-ana',
          listingId,
          sellerId: 'seller-acme',
          provider: 'openai',
          creditType: 'prepaid_api',
          providerOrgRef: 'org-1',
          currency: 'USD',
          claimedFaceValueCents: 10_000_000n,
          creditExpiresAt: CREDIT_EXPIRY,
          askPriceCents: 6_000_000n,
        },
      ],
      [
        verifiedAt,
        {
          type: 'VerifyListing',
          listingId,
          verifiedBy: 'broker-ana',
          verifiedFaceValueCents: 10_000_000n,
          verifiedExpiresAt: CREDIT_EXPIRY,
          evidence: { method: 'dashboard', reference: 'shot-1', checkedAt: verifiedAt },
        },
      ],
    ];
    await recordTimeline(listingDecider, listingStreamId(listingId), steps);
    return listingId;
  }

  /** A deal of `listingId` opened at `openedAt`, settled at `settledAt` or cancelled at `cancelledAt` when given. */
  async function deal(listingId: string, openedAt: Date, end: { settledAt?: Date; cancelledAt?: Date; brokerId?: string } = {}): Promise<string> {
    const dealId = randomUUID();
    const steps: Array<readonly [Date, DealCommand]> = [
      [
        openedAt,
        {
          type: 'OpenDeal',
          dealId,
          listingId,
          sellerId: 'seller-acme',
          buyerId: 'buyer-globex',
          brokerId: end.brokerId ?? 'broker-ana',
          currency: 'USD',
          faceValueCents: 100_000n,
          priceCents: 60_000n,
          commissionBps: 1_000,
          creditExpiresAt: CREDIT_EXPIRY,
        },
      ],
    ];
    if (end.settledAt !== undefined) {
      steps.push(
        [openedAt, { type: 'ApproveDeal', dealId, party: 'seller', termsVersion: 1, approvedBy: 'seller-contact' }],
        [openedAt, { type: 'ApproveDeal', dealId, party: 'buyer', termsVersion: 1, approvedBy: 'buyer-contact' }],
        [openedAt, { type: 'ReceiveBuyerPayment', dealId, amountCents: 60_000n, paymentRef: `wire-${dealId}` }],
        [openedAt, { type: 'StartCreditTransfer', dealId, mechanism: 'organization_membership', reference: 'invite-1' }],
        [openedAt, { type: 'ConfirmCreditTransfer', dealId, confirmedFaceValueCents: 100_000n, evidence: { method: 'provider_console', reference: 'member-added' } }],
        [end.settledAt, { type: 'IssueSellerPayout', dealId, payoutRef: `payout-${dealId}` }],
      );
    }
    if (end.cancelledAt !== undefined) steps.push([end.cancelledAt, { type: 'CancelDeal', dealId, reason: 'buyer walked away' }]);
    await recordTimeline(dealDecider, dealStreamId(dealId), steps);
    return dealId;
  }

  async function buyRequest(placedAt: Date, filledAt: readonly Date[]): Promise<void> {
    const buyRequestId = randomUUID();
    const steps: Array<readonly [Date, BuyRequestCommand]> = [
      [
        placedAt,
        {
          type: 'PlaceBuyRequest',
          placedBy: 'broker-ana',
          buyRequestId,
          buyerId: 'buyer-globex',
          provider: 'openai',
          creditTypes: ['prepaid_api'],
          faceValueCents: 1_000_000n,
          maxPriceBps: 7_000,
          minValidityDays: 30,
          deadline: new Date('2027-01-31T00:00:00.000Z'),
        },
      ],
      ...filledAt.map((time): readonly [Date, BuyRequestCommand] => [time, { type: 'RecordBuyRequestFill', buyRequestId, dealId: randomUUID(), faceValueCents: 100_000n }]),
    ];
    await recordTimeline(buyRequestDecider, buyRequestStreamId(buyRequestId), steps);
  }

  async function project(...subscribers: LogSubscriber[]): Promise<void> {
    const head = await store.headPosition();
    const subscriptions = subscribers.map((subscriber) => new DurableSubscription(pool, store, subscriber, { pollIntervalMs: 10 }));
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

  const timings = async (from: number, to: number, brokerId: string | null = null): Promise<DashboardTimings['timings']> => {
    const period = { from: at(from), to: at(to) };
    const summary = await handler.execute(new DashboardSummaryQuery(brokerId, at(to), period));
    return summary.timings;
  };
  const figure = (samples: number, medianMs: number | null, p90Ms: number | null): DurationFigure => ({ samples, medianMs, p90Ms });

  beforeAll(async () => {
    database = await createTestDatabase(ledgerMigrations);
    pool = new pg.Pool({ connectionString: database.url, max: 8 });
    store = new PostgresEventStore(new pg.Pool({ connectionString: database.url, max: 8 }));
    handler = new DashboardSummaryQueryHandler(pool, new ProjectionCatchUp(postgresCheckpointReader(pool)));

    // Listings, verified -> first deal. The period [B, B + 10 days) holds five first deals.
    await deal(await verifiedListing(at(-1_000)), at(0)); // 1,000 ms, opened exactly at `from`: in
    await deal(await verifiedListing(at(DAY_MS)), at(DAY_MS + 2_000)); // 2,000 ms
    const third = await verifiedListing(at(2 * DAY_MS));
    await deal(third, at(2 * DAY_MS + 3_000)); // 3,000 ms
    await deal(third, at(3 * DAY_MS)); // its second deal: no sample
    await deal(await verifiedListing(at(3 * DAY_MS)), at(3 * DAY_MS + 4_000)); // 4,000 ms
    await deal(await verifiedListing(at(4 * DAY_MS)), at(10 * DAY_MS - 1)); // 6 days less 1 ms, opened 1 ms before `to`: in
    await deal(await verifiedListing(at(5 * DAY_MS)), at(10 * DAY_MS)); // 5 days, opened exactly at `to`: out, in the next period
    await verifiedListing(at(DAY_MS)); // never matched: no sample
    // A listing first matched before the period; its later deals (in it) are no first deals. They carry the settlements.
    const early = await verifiedListing(at(-2 * DAY_MS));
    await deal(early, at(-20 * SECOND_MS), { cancelledAt: at(-SECOND_MS) });

    // Deals, opened -> settled, by the settlement's time.
    await deal(early, at(-10 * SECOND_MS), { settledAt: at(0) }); // 10 s, settled exactly at `from`: in
    await deal(early, at(DAY_MS), { settledAt: at(DAY_MS + 20 * SECOND_MS), brokerId: 'broker-ben' }); // 20 s
    await deal(early, at(2 * DAY_MS), { settledAt: at(2 * DAY_MS + 30 * SECOND_MS) }); // 30 s
    await deal(early, at(3 * DAY_MS), { settledAt: at(3 * DAY_MS + 40 * SECOND_MS), brokerId: 'broker-ben' }); // 40 s
    await deal(early, at(4 * DAY_MS), { settledAt: at(4 * DAY_MS + 50 * SECOND_MS), brokerId: 'broker-ben' }); // 50 s
    await deal(early, at(9 * DAY_MS), { settledAt: at(10 * DAY_MS) }); // 1 day, settled exactly at `to`: out, in the next period
    await deal(early, at(5 * DAY_MS), { cancelledAt: at(5 * DAY_MS + SECOND_MS) }); // closed, not settled: no sample

    // Buy requests, placed -> first fill.
    await buyRequest(at(-3_600_000), [at(0)]); // 1 hour, filled exactly at `from`: in
    await buyRequest(at(DAY_MS), [at(DAY_MS + 60_000), at(2 * DAY_MS)]); // 1 minute; its second fill is no sample
    await buyRequest(at(5 * DAY_MS), [at(5 * DAY_MS + 120_000)]); // 2 minutes
    await buyRequest(at(6 * DAY_MS), [at(6 * DAY_MS + 30_000)]); // 30 s
    await buyRequest(at(9 * DAY_MS), [at(10 * DAY_MS)]); // 1 day, filled exactly at `to`: out, in the next period
    await buyRequest(at(-2 * DAY_MS), [at(-DAY_MS), at(2 * DAY_MS)]); // first filled before the period: no sample
    await buyRequest(at(DAY_MS), []); // never filled: no sample

    await project(listingViewProjection(), dealViewProjection(), buyRequestViewProjection());
  });

  afterAll(async () => {
    await pool?.end();
    await store?.close();
    await database?.drop();
  });

  it('answers the median and 90th percentile of each measure over a period, from inclusive, to exclusive', async () => {
    expect(await timings(0, 10 * DAY_MS)).toEqual({
      period: { fromInclusive: '2026-11-10T00:00:00.000Z', toExclusive: '2026-11-20T00:00:00.000Z' },
      timeToMatch: {
        // 1,000 2,000 3,000 4,000 518,399,999: odd, the 3rd and the 5th.
        listingVerifiedToFirstDeal: figure(5, 3_000, 6 * DAY_MS - 1),
        // 30,000 60,000 120,000 3,600,000: even, the lower middle (2nd) and the 4th.
        buyRequestPlacedToFirstFill: figure(4, 60_000, 3_600_000),
      },
      // 10 s to 50 s: the 3rd and the 5th.
      timeToSettle: figure(5, 30_000, 50_000),
    });
  });

  it('counts what ends at `to` in the next period, and an even count of first deals takes the lower middle as median', async () => {
    expect(await timings(10 * DAY_MS, 20 * DAY_MS)).toMatchObject({
      timeToMatch: { listingVerifiedToFirstDeal: figure(1, 5 * DAY_MS, 5 * DAY_MS), buyRequestPlacedToFirstFill: figure(1, DAY_MS, DAY_MS) },
      timeToSettle: figure(1, DAY_MS, DAY_MS),
    });
    // Up to 1 ms after the fourth first deal: 1,000 2,000 3,000 4,000.
    expect(await timings(0, 3 * DAY_MS + 4_001)).toMatchObject({
      timeToMatch: { listingVerifiedToFirstDeal: figure(4, 2_000, 4_000), buyRequestPlacedToFirstFill: figure(2, 60_000, 3_600_000) },
      timeToSettle: figure(3, 20_000, 30_000),
    });
    // Up to the fourth first deal itself: it is out.
    expect((await timings(0, 3 * DAY_MS + 4_000)).timeToMatch.listingVerifiedToFirstDeal).toEqual(figure(3, 2_000, 3_000));
    // From 1 ms after `B`: what ended at B is out.
    expect(await timings(1, 10 * DAY_MS)).toMatchObject({
      timeToMatch: { listingVerifiedToFirstDeal: figure(4, 3_000, 6 * DAY_MS - 1), buyRequestPlacedToFirstFill: figure(3, 60_000, 120_000) },
      timeToSettle: figure(4, 30_000, 50_000),
    });
  });

  it('scopes the time to settle to a broker, and leaves the time to match market-wide', async () => {
    expect(await timings(0, 10 * DAY_MS, 'broker-ben')).toMatchObject({
      timeToMatch: { listingVerifiedToFirstDeal: figure(5, 3_000, 6 * DAY_MS - 1), buyRequestPlacedToFirstFill: figure(4, 60_000, 3_600_000) },
      timeToSettle: figure(3, 40_000, 50_000), // 20 s 40 s 50 s
    });
    expect((await timings(0, 10 * DAY_MS, 'broker-ana')).timeToSettle).toEqual(figure(2, 10_000, 30_000)); // 10 s 30 s
    expect((await timings(0, 10 * DAY_MS, 'broker-nobody')).timeToSettle).toEqual(figure(0, null, null));
  });

  it('answers no sample and null percentiles for a period where nothing ended', async () => {
    expect(await timings(-300 * DAY_MS, -200 * DAY_MS)).toMatchObject({
      timeToMatch: { listingVerifiedToFirstDeal: figure(0, null, null), buyRequestPlacedToFirstFill: figure(0, null, null) },
      timeToSettle: figure(0, null, null),
    });
  });

  it('refuses a period the edge should have refused, as a programmer error', async () => {
    await expect(handler.execute(new DashboardSummaryQuery(null, at(0), { from: at(0), to: at(0) }))).rejects.toThrow(/unchecked period: from must be before to/);
  });
});
