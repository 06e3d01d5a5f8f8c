import { summarizeDashboard, type DashboardAggregateRow } from './dashboard-summary.js';

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
