/**
 * The dashboard's figures (issue 4, item 2) as a pure fold of aggregate rows:
 * the SQL (dashboard-queries.ts) groups and sums, this shapes the answer.
 * Kept apart so every definition below is unit-tested without a database.
 *
 * Definitions:
 * - pipeline: deals per status, every status present (0 when none).
 * - volume.settled: sum of the price of settled deals; volume.open: of the
 *   deals not yet final (awaiting_approvals, approved, funded, transferring,
 *   transferred, disputed). Per currency.
 * - commissionEarned: sum of the commission of settled deals (fixed at match
 *   time, so equal to what revenue:commission was credited for them).
 * - expiring.within{7,30,90}Days: available face value of listings in status
 *   `available` whose credit expiry t satisfies asOf < t <= asOf + N days.
 *   Cumulative windows: 7 is inside 30 is inside 90.
 * - lostToExpiry.faceValueCents: the listings' expired part (available face
 *   value when ListingExpired was recorded, plus reservations released after
 *   it, e.g. of deals that expired on the credit expiry): the same quantity
 *   the books carry in credits:expired, counted once. The deals expired on
 *   their credit-expiry deadline are reported beside it, not added to it.
 * - rescuedFromExpiry: confirmed face value of settled deals whose credits
 *   would have expired within RESCUE_HORIZON_DAYS of settlement
 *   (credit expiry <= settled at + 90 days).
 *
 * Timings (issue 5, item 4: "matched within 24 hours", "done in days"), over
 * a period [fromInclusive, toExclusive). A sample is one elapsed time in
 * whole milliseconds, and it belongs to the period by the time of its END
 * event, so a figure answers "of what ended in this period, how long did it
 * take" and a sample never moves from one period to another later:
 * - timeToMatch.listingVerifiedToFirstDeal: ListingVerified -> the opening
 *   of the listing's first deal (of any broker, whatever became of it).
 * - timeToMatch.buyRequestPlacedToFirstFill: BuyRequestPlaced -> its first
 *   BuyRequestFilled.
 * - timeToSettle: DealOpened -> DealSettled, of the deals settled.
 * Each is { samples, medianMs, p90Ms }, the percentiles null when there is
 * no sample. The matching figures are market-wide like the listing figures;
 * timeToSettle is a deal figure and follows `scope`.
 */

/** Deal statuses of shared/API.md, in lifecycle order. */
export const DASHBOARD_DEAL_STATUSES = [
  'awaiting_approvals',
  'approved',
  'funded',
  'transferring',
  'transferred',
  'settled',
  'rejected',
  'cancelled',
  'expired',
  'disputed',
] as const;

export type DashboardDealStatus = (typeof DASHBOARD_DEAL_STATUSES)[number];

/** Deals still in play: no final status yet. */
export const OPEN_DEAL_STATUSES: readonly DashboardDealStatus[] = ['awaiting_approvals', 'approved', 'funded', 'transferring', 'transferred', 'disputed'];

/** The expiry windows, in days after the moment of the request. */
export const EXPIRY_WINDOWS_DAYS = [7, 30, 90] as const;

/** A settled deal rescued credits that would have expired within this many days of its settlement. */
export const RESCUE_HORIZON_DAYS = 90;

/** The timings' period when the request names none: the 30 days up to the request time. */
export const DEFAULT_TIMING_PERIOD_DAYS = 30;

/** The longest period a request may name: a year, leap day included. Bounds the rows one request sorts. */
export const MAX_TIMING_PERIOD_DAYS = 366;

/** The period of the timings: `from` inclusive, `to` exclusive. */
export interface TimingPeriod {
  readonly from: Date;
  readonly to: Date;
}

const DAY_MS = 86_400_000;

/** The period a request names, completed: `to` defaults to now, `from` to DEFAULT_TIMING_PERIOD_DAYS before `to`. */
export function timingPeriod(from: Date | undefined, to: Date | undefined, now: Date): TimingPeriod {
  const end = to ?? now;
  return { from: from ?? new Date(end.getTime() - DEFAULT_TIMING_PERIOD_DAYS * DAY_MS), to: end };
}

/** Why a period cannot be answered (the edge turns it into 400 VALIDATION_FAILED), or null when it can. */
export function timingPeriodProblem({ from, to }: TimingPeriod): string | null {
  if (!(from.getTime() < to.getTime())) return 'from must be before to';
  if (to.getTime() - from.getTime() > MAX_TIMING_PERIOD_DAYS * DAY_MS) return `the period from from to to may be at most ${MAX_TIMING_PERIOD_DAYS} days`;
  return null;
}

/** The timing measures, as the timing query names them. */
export const TIMING_MEASURES = ['listing_verified_to_first_deal', 'buy_request_placed_to_first_fill', 'deal_opened_to_settled'] as const;

export type TimingMeasure = (typeof TIMING_MEASURES)[number];

/**
 * One row of the timing query: a measure's sample count and percentiles,
 * whole milliseconds as decimal text (null when there is no sample).
 */
export interface DashboardTimingRow {
  readonly measure: TimingMeasure;
  readonly samples: string;
  readonly median_ms: string | null;
  readonly p90_ms: string | null;
}

/**
 * One row of the aggregate query. `key` qualifies `kind`: the deal status
 * for `deals`, the window in days for `expiring`; empty otherwise. `cents`
 * is a decimal string (numeric sums, never a float); `count` likewise.
 */
export interface DashboardAggregateRow {
  readonly kind: 'deals' | 'commission' | 'expiring' | 'lost' | 'deals_expired_on_credit_expiry' | 'rescued';
  readonly key: string;
  readonly currency: string;
  readonly count: string;
  readonly cents: string;
}

/** Amounts per currency, decimal strings of integer cents, currencies in alphabetical order. */
export type CentsByCurrency = Record<string, string>;

/** GET /v1/dashboard/summary: the figures as of the request time, and the timings over a period. */
export type DashboardSummary = DashboardSnapshot & DashboardTimings;

/** The figures as of the request time. */
export interface DashboardSnapshot {
  /** The request time the expiry windows are measured from. */
  readonly asOf: string;
  /** Whose deals the deal figures cover: every deal, or one broker's. Listing figures are always market-wide. */
  readonly scope: { readonly kind: 'all' } | { readonly kind: 'broker'; readonly brokerId: string };
  readonly pipeline: Record<DashboardDealStatus, number> & { readonly total: number };
  readonly volume: {
    readonly settledDeals: number;
    readonly settledPriceCents: CentsByCurrency;
    readonly openDeals: number;
    readonly openPriceCents: CentsByCurrency;
  };
  readonly commissionEarnedCents: CentsByCurrency;
  readonly expiring: {
    readonly within7Days: ExpiringFigure;
    readonly within30Days: ExpiringFigure;
    readonly within90Days: ExpiringFigure;
  };
  readonly lostToExpiry: {
    readonly expiredListings: number;
    readonly faceValueCents: CentsByCurrency;
    readonly dealsExpiredOnCreditExpiry: number;
    readonly dealsExpiredOnCreditExpiryFaceValueCents: CentsByCurrency;
  };
  readonly rescuedFromExpiry: {
    readonly horizonDays: number;
    readonly deals: number;
    readonly faceValueCents: CentsByCurrency;
  };
}

export interface ExpiringFigure {
  readonly listings: number;
  readonly faceValueCents: CentsByCurrency;
}

/** Elapsed times in whole milliseconds; the percentiles are null when there is no sample. */
export interface DurationFigure {
  readonly samples: number;
  readonly medianMs: number | null;
  readonly p90Ms: number | null;
}

export interface DashboardTimings {
  readonly timings: {
    /** Samples whose end event happened at or after fromInclusive and before toExclusive. */
    readonly period: { readonly fromInclusive: string; readonly toExclusive: string };
    readonly timeToMatch: {
      readonly listingVerifiedToFirstDeal: DurationFigure;
      readonly buyRequestPlacedToFirstFill: DurationFigure;
    };
    /** Deal opened -> deal settled; the broker's deals only when `scope` is a broker. */
    readonly timeToSettle: DurationFigure;
  };
}

/** Adds a row's cents into a per-currency total, exactly (bigint). */
class Totals {
  private readonly byCurrency = new Map<string, bigint>();
  count = 0;

  add(row: DashboardAggregateRow): void {
    this.count += Number(row.count);
    this.byCurrency.set(row.currency, (this.byCurrency.get(row.currency) ?? 0n) + BigInt(row.cents));
  }

  cents(): CentsByCurrency {
    const out: CentsByCurrency = {};
    for (const currency of [...this.byCurrency.keys()].sort()) out[currency] = this.byCurrency.get(currency)!.toString();
    return out;
  }
}

export function summarizeDashboard(rows: readonly DashboardAggregateRow[], asOf: Date, brokerId: string | null): DashboardSnapshot {
  const pipeline = Object.fromEntries(DASHBOARD_DEAL_STATUSES.map((status) => [status, 0])) as Record<DashboardDealStatus, number>;
  const settled = new Totals();
  const open = new Totals();
  const commission = new Totals();
  const expiring = new Map<number, Totals>(EXPIRY_WINDOWS_DAYS.map((days) => [days, new Totals()]));
  const lost = new Totals();
  const expiredDeals = new Totals();
  const rescued = new Totals();
  for (const row of rows) {
    switch (row.kind) {
      case 'deals': {
        if (!(DASHBOARD_DEAL_STATUSES as readonly string[]).includes(row.key)) throw new Error(`deal_view holds an unknown deal status ${row.key}`);
        const status = row.key as DashboardDealStatus;
        pipeline[status] += Number(row.count);
        if (status === 'settled') settled.add(row);
        if (OPEN_DEAL_STATUSES.includes(status)) open.add(row);
        break;
      }
      case 'commission':
        commission.add(row);
        break;
      case 'expiring': {
        const window = expiring.get(Number(row.key));
        if (window === undefined) throw new Error(`no expiry window of ${row.key} days`);
        window.add(row);
        break;
      }
      case 'lost':
        lost.add(row);
        break;
      case 'deals_expired_on_credit_expiry':
        expiredDeals.add(row);
        break;
      case 'rescued':
        rescued.add(row);
        break;
    }
  }
  const figure = (days: number): ExpiringFigure => {
    const window = expiring.get(days)!;
    return { listings: window.count, faceValueCents: window.cents() };
  };
  return {
    asOf: asOf.toISOString(),
    scope: brokerId === null ? { kind: 'all' } : { kind: 'broker', brokerId },
    pipeline: { ...pipeline, total: Object.values(pipeline).reduce((sum, count) => sum + count, 0) },
    volume: { settledDeals: settled.count, settledPriceCents: settled.cents(), openDeals: open.count, openPriceCents: open.cents() },
    commissionEarnedCents: commission.cents(),
    expiring: { within7Days: figure(7), within30Days: figure(30), within90Days: figure(90) },
    lostToExpiry: {
      expiredListings: lost.count,
      faceValueCents: lost.cents(),
      dealsExpiredOnCreditExpiry: expiredDeals.count,
      dealsExpiredOnCreditExpiryFaceValueCents: expiredDeals.cents(),
    },
    rescuedFromExpiry: { horizonDays: RESCUE_HORIZON_DAYS, deals: rescued.count, faceValueCents: rescued.cents() },
  };
}

export function summarizeTimings(rows: readonly DashboardTimingRow[], period: TimingPeriod): DashboardTimings {
  const figures = new Map<TimingMeasure, DurationFigure>(TIMING_MEASURES.map((measure) => [measure, { samples: 0, medianMs: null, p90Ms: null }]));
  for (const row of rows) {
    if (!figures.has(row.measure)) throw new Error(`no timing measure ${row.measure}`);
    figures.set(row.measure, { samples: Number(row.samples), medianMs: milliseconds(row.median_ms), p90Ms: milliseconds(row.p90_ms) });
  }
  return {
    timings: {
      period: { fromInclusive: period.from.toISOString(), toExclusive: period.to.toISOString() },
      timeToMatch: {
        listingVerifiedToFirstDeal: figures.get('listing_verified_to_first_deal')!,
        buyRequestPlacedToFirstFill: figures.get('buy_request_placed_to_first_fill')!,
      },
      timeToSettle: figures.get('deal_opened_to_settled')!,
    },
  };
}

/** A whole number of milliseconds from the database; anything else is a fault of the query, not a figure. */
function milliseconds(text: string | null): number | null {
  if (text === null) return null;
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new Error(`a timing is not a whole number of milliseconds: ${text}`);
  return value;
}
