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

export interface DashboardSummary {
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

export function summarizeDashboard(rows: readonly DashboardAggregateRow[], asOf: Date, brokerId: string | null): DashboardSummary {
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
