/**
 * Expiry enforcement end to end (issue 6): the API as `npm start` runs it,
 * with small settings from the environment, on the system clock. Credits
 * expiring seconds ahead are accepted, and within seconds the deadline
 * enforcer of the API process expires the deal no one approved and the
 * listing past its matchable-until, the reservation goes back and is
 * written off in the books, and the dashboard counts the loss.
 */
import { readLedgerConfig } from '#configuration';
import { createTestDatabase, type TestDatabase } from '#testing';
import { startLedgerApi, type RunningLedgerApi } from '../apps/ledger-api/src/ledger-api.js';

const ADMIN_KEY = 'test-admin-key-deadlines-0123456789';

interface Answer {
  readonly statusCode: number;
  json<T = Record<string, unknown>>(): T;
}

describe('expiry enforcement over HTTP', () => {
  let api: RunningLedgerApi;
  let database: TestDatabase;

  const post = (url: string, payload: unknown): Promise<Answer> =>
    api.app.inject({ method: 'POST', url, payload: payload as object, headers: { authorization: `Bearer ${ADMIN_KEY}` } }) as Promise<Answer>;
  const get = (url: string): Promise<Answer> => api.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${ADMIN_KEY}` } }) as Promise<Answer>;
  const eventually = async <T>(read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 15_000): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await read();
      if (accept(value)) return value;
      if (Date.now() > deadline) throw new Error(`not reached in ${timeoutMs} ms: ${JSON.stringify(value)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  beforeAll(async () => {
    database = await createTestDatabase([]);
    api = await startLedgerApi(
      readLedgerConfig({
        DATABASE_URL: database.url,
        PORT: '0',
        LEDGER_ADMIN_KEY: ADMIN_KEY,
        LEDGER_APPROVAL_WINDOW_MS: '1500',
        LEDGER_EXPIRY_MARGIN_MS: '1000',
        LEDGER_DEADLINE_POLL_MS: '50',
      }),
    );
  });

  afterAll(async () => {
    await api?.close();
    await database?.drop();
  });

  it('expires an unapproved deal at its approval deadline and a listing at its matchable-until, seconds after they were made', async () => {
    const creditExpiresAt = new Date(Date.now() + 4_000).toISOString();
    const submitted = await post('/v1/listings', {
      sellerId: 'seller-soon',
      provider: 'openai',
      creditType: 'prepaid_api',
      providerOrgRef: 'org-soon',
      faceValueCents: '1000000',
      currency: 'USD',
      creditExpiresAt,
      askPriceCents: '600000',
    });
    expect(submitted.statusCode).toBe(201);
    const listingId = submitted.json<{ id: string }>().id;
    const verified = await post(`/v1/listings/${listingId}/verification`, {
      verifiedFaceValueCents: '800000',
      verifiedExpiresAt: creditExpiresAt,
      evidence: { method: 'provider_dashboard', reference: 'screenshot-1', checkedAt: new Date().toISOString() },
    });
    expect(verified.statusCode).toBe(200);
    const opened = await post('/v1/deals', { listingId, buyerId: 'buyer-late', brokerId: 'broker-ana', faceValueCents: '300000', priceCents: '180000', commissionBps: 1_000 });
    expect(opened.statusCode).toBe(201);
    const dealId = opened.json<{ id: string }>().id;

    // Nobody approves: 1.5 s after opening the deal expires, and its reservation goes back to the listing.
    const deal = await eventually(
      async () => (await get(`/v1/deals/${dealId}`)).json<{ status: string }>(),
      (body) => body.status === 'expired',
    );
    expect(deal).toMatchObject({ status: 'expired' });
    const late = await post(`/v1/deals/${dealId}/approvals`, { party: 'buyer', termsVersion: 1 });
    expect(late.json()).toMatchObject({ code: expect.stringMatching(/^(DEAL_CLOSED|DEAL_APPROVAL_DEADLINE_PASSED)$/) });

    // A second before the credit expiry the listing stops being matchable and expires with its 800,000 unsold.
    const listing = await eventually(
      async () => (await get(`/v1/listings/${listingId}`)).json<{ status: string; availableFaceValueCents: string }>(),
      (body) => body.status === 'expired',
    );
    expect(listing).toMatchObject({ status: 'expired', availableFaceValueCents: '0' });
    const events = await api.store.readStream(`listing-${listingId}`);
    expect(events.map((event) => event.type)).toEqual(['ListingSubmitted', 'ListingVerified', 'ListingReserved', 'ListingReservationReleased', 'ListingExpired']);
    expect(events.at(-1)).toMatchObject({ data: { expiredFaceValueCents: '800000' }, metadata: { actorId: 'deadline-enforcer', actorRole: 'system' } });

    // Written off in the books, and counted by the dashboard as lost to expiry.
    await eventually(
      async () => (await get('/v1/ledger/accounts/credits:expired')).json<{ balances?: Array<{ currency: string; balanceCents: string }> }>(),
      (body) => body.balances?.[0]?.balanceCents === '800000',
    );
    const summary = await eventually(
      async () => (await get('/v1/dashboard/summary')).json<{ lostToExpiry?: { expiredListings: number; faceValueCents: Record<string, string> } }>(),
      (body) => body.lostToExpiry?.expiredListings === 1,
    );
    expect(summary.lostToExpiry).toMatchObject({ expiredListings: 1, faceValueCents: { USD: '800000' } });

    const ready = (await api.app.inject({ method: 'GET', url: '/health/ready' })).json<{ background: Array<{ name: string; state: string; error: string | null }> }>();
    expect(ready.background).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'deadline-enforcer', state: 'running', error: null })]),
    );
  });
});
