/**
 * `demo` against a running API on a fresh ledger, as a newcomer runs it
 * right after `npm start` (the server's settings at their defaults: the
 * 72 h expiry margin, the 1 s deadline poll, 600 requests a minute per key):
 * it finishes within a minute, and the dashboard summary and the read
 * models show what it did: the deals by status, settled deals and their
 * commission in the books, a dispute, a cancellation, listings of every
 * credit type with one filled in parts, and two expiries recorded by the
 * server's own deadline enforcer (a buy request and a listing).
 */
import { readLedgerConfig } from '#configuration';
import { CREDIT_TYPES } from '#domain';
import { createTestDatabase, type TestDatabase } from '#testing';
import { DEMO_BROKERS, demoStatusCounts } from '../apps/ledger-cli/src/demo/demo-plan.js';
import { startLedgerApi, type RunningLedgerApi } from '../apps/ledger-api/src/ledger-api.js';
import { runCli, type CliRun } from './support/cli-process.js';

const ADMIN_KEY = 'test-admin-key-cli-demo-0123456789';
const DEALS = 24;
const DEAL_STATUSES = ['awaiting_approvals', 'approved', 'funded', 'transferring', 'transferred', 'settled', 'rejected', 'cancelled', 'expired', 'disputed'];

interface Listing {
  readonly id: string;
  readonly status: string;
  readonly creditType: string;
  readonly soldFaceValueCents: string;
  readonly reservedFaceValueCents: string;
  readonly availableFaceValueCents: string;
}

interface Deal {
  readonly id: string;
  readonly status: string;
  readonly listingId: string;
  readonly termsVersion: number;
}

interface BuyRequest {
  readonly id: string;
  readonly status: string;
  readonly filledFaceValueCents: string;
}

describe('the demo against a running API', () => {
  let database: TestDatabase;
  let api: RunningLedgerApi;
  let run: CliRun;
  const read = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${api.url}${path}`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
    expect({ path, status: response.status }).toEqual({ path, status: 200 });
    return (await response.json()) as T;
  };
  const items = async <T>(path: string): Promise<T[]> => (await read<{ items: T[] }>(`${path}${path.includes('?') ? '&' : '?'}limit=100`)).items;

  beforeAll(async () => {
    database = await createTestDatabase([]);
    api = await startLedgerApi(readLedgerConfig({ DATABASE_URL: database.url, PORT: '0', LEDGER_ADMIN_KEY: ADMIN_KEY }));
    run = await runCli(['demo', '--url', api.url, '--deals', String(DEALS)], { LEDGER_ADMIN_KEY: ADMIN_KEY });
  }, 90_000);

  afterAll(async () => {
    await api?.close();
    await database?.drop();
  });

  it('finishes within a minute and prints a dashboard key that reads the dashboard', async () => {
    expect({ exitCode: run.exitCode, stderr: run.stderr }).toEqual({ exitCode: 0, stderr: '' });
    expect(run.seconds).toBeLessThan(60);
    const dashboardKey = /^\s+(lk_dashboard_\S+)$/m.exec(run.stdout)?.[1];
    expect(dashboardKey).toBeDefined();
    const summary = await fetch(`${api.url}/v1/dashboard/summary`, { headers: { authorization: `Bearer ${dashboardKey}` } });
    expect(summary.status).toBe(200);
    expect(run.stdout).toContain(`${api.url}/dashboard`);
  });

  it('leaves the deals by status the plan says, which the summary counts exactly', async () => {
    const expected = demoStatusCounts(DEALS);
    const summary = await read<{ pipeline: Record<string, number>; volume: { settledDeals: number }; commissionEarnedCents: Record<string, string> }>('/v1/dashboard/summary');
    expect(summary.pipeline).toEqual({ ...Object.fromEntries(DEAL_STATUSES.map((status) => [status, expected[status] ?? 0])), total: DEALS });
    for (const status of ['settled', 'disputed', 'cancelled', 'rejected', 'awaiting_approvals', 'transferring']) expect(summary.pipeline[status]).toBeGreaterThan(0);
    expect(summary.volume.settledDeals).toBe(expected.settled);

    const deals = await items<Deal>('/v1/deals');
    expect(deals).toHaveLength(DEALS);
    const byStatus = (status: string): number => deals.filter((deal) => deal.status === status).length;
    for (const status of DEAL_STATUSES) expect({ status, deals: byStatus(status) }).toEqual({ status, deals: summary.pipeline[status] });
    // An amendment: a settled deal whose terms were approved at version 2.
    expect(deals.some((deal) => deal.status === 'settled' && deal.termsVersion === 2)).toBe(true);
  });

  it('books the commission of every delivered deal, the settled ones being what the summary counts as earned', async () => {
    const summary = await read<{ commissionEarnedCents: Record<string, string> }>('/v1/dashboard/summary');
    const deals = await items<{ status: string; commissionCents: string }>('/v1/deals');
    const commissionOf = (statuses: string[]): bigint =>
      deals.filter((deal) => statuses.includes(deal.status)).reduce((sum, deal) => sum + BigInt(deal.commissionCents), 0n);
    expect(BigInt(summary.commissionEarnedCents.USD ?? '0')).toBe(commissionOf(['settled']));
    expect(commissionOf(['settled'])).toBeGreaterThan(0n);
    const commission = await read<{ balances: Array<{ currency: string; balanceCents: string }> }>('/v1/ledger/accounts/revenue:commission');
    // Earned at delivery (libs/domain deal-journal.ts): the settled deals and those delivered but not paid out yet.
    // A credit to revenue is negative in the books (shared/API.md: debits positive).
    expect(commission.balances).toEqual([{ currency: 'USD', balanceCents: (-commissionOf(['settled', 'transferred'])).toString() }]);
  });

  it('lists credits of every type, rejects one listing, and fills one listing in several deals with credits left', async () => {
    const listings = await items<Listing>('/v1/listings');
    expect(new Set(listings.map((listing) => listing.creditType))).toEqual(new Set(CREDIT_TYPES));
    expect(listings.filter((listing) => listing.status === 'rejected')).toHaveLength(1);
    const deals = await items<Deal>('/v1/deals');
    const dealsOf = (listingId: string): number => deals.filter((deal) => deal.listingId === listingId).length;
    const filledInParts = listings.filter((listing) => dealsOf(listing.id) >= 3 && BigInt(listing.soldFaceValueCents) > 0n && BigInt(listing.availableFaceValueCents) > 0n);
    expect(filledInParts.length).toBeGreaterThan(0);
  });

  it('fills buy requests in part, cancels one, and the server expires the one whose deadline passed', async () => {
    const requests = await items<BuyRequest>('/v1/buy-requests');
    expect(requests.filter((request) => request.status === 'expired')).toHaveLength(1);
    expect(requests.filter((request) => request.status === 'cancelled')).toHaveLength(1);
    expect(requests.some((request) => request.status === 'open' && BigInt(request.filledFaceValueCents) > 0n)).toBe(true);
  });

  it('expires the listing whose credits came within the expiry margin, which the dashboard reports as lost', async () => {
    const expired = await items<Listing>('/v1/listings?status=expired');
    expect(expired).toHaveLength(1);
    const summary = await read<{ lostToExpiry: { expiredListings: number; faceValueCents: Record<string, string> }; expiring: Record<string, { listings: number }> }>('/v1/dashboard/summary');
    expect(summary.lostToExpiry).toMatchObject({ expiredListings: 1, faceValueCents: { USD: '700000' } });
    const credits = await read<{ balances: Array<{ currency: string; balanceCents: string }> }>('/v1/ledger/accounts/credits:expired');
    expect(credits.balances).toEqual([expect.objectContaining({ currency: 'USD', balanceCents: '700000' })]);
    // Credits expiring within each window of the dashboard, the shorter windows within the longer.
    const { within7Days, within30Days, within90Days } = summary.expiring;
    expect(within7Days!.listings).toBeGreaterThan(0);
    expect(within30Days!.listings).toBeGreaterThan(within7Days!.listings);
    expect(within90Days!.listings).toBeGreaterThan(within30Days!.listings);
  });

  it('answers the recent facts as the newest journal entries first, the journal read backwards', async () => {
    const journal: Array<{ id: string }> = [];
    let cursor: string | null = null;
    do {
      const page: { items: Array<{ id: string }>; nextCursor: string | null } = await read(`/v1/ledger/journal?limit=200${cursor === null ? '' : `&cursor=${cursor}`}`);
      journal.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor !== null);
    const recent = await read<{ items: Array<{ id: string }> }>('/v1/dashboard/recent-facts?limit=7');
    expect(recent.items.map((entry) => entry.id)).toEqual(journal.slice(-7).reverse().map((entry) => entry.id));
    const refused = await fetch(`${api.url}/v1/dashboard/recent-facts?limit=101`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
    expect(refused.status).toBe(400);
  });

  it('acted as three brokers of its own, each seeing only the deals it brokers', async () => {
    const deals = await items<{ brokerId: string }>('/v1/deals');
    const brokers = new Set(deals.map((deal) => deal.brokerId));
    expect(brokers.size).toBe(DEMO_BROKERS.length);
    for (const broker of brokers) expect(broker).toMatch(/^demo-[0-9a-f]{6}-broker-/);
  });
});
