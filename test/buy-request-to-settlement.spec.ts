/**
 * "Tell us what you need, we find a match", end to end over HTTP on a real
 * PostgreSQL: a broker places a buy request, the match suggestions offer the
 * listing that fits (priced and discounted as the domain computes) and not
 * those that do not, the broker opens a deal from the suggestion naming the
 * request, and the deal runs to settlement. At the end the request is
 * filled, the listing sold, neither side suggests the other any more, and
 * the dashboard timed the match and the settlement once each.
 * Reads wait with X-Min-Position, never a sleep; the facts the reservation
 * process manager records on its own (the fill, the sale) are awaited in the
 * event store and their positions sent as X-Min-Position.
 * Every call goes through the typed client generated from the OpenAPI
 * document (#api-client), over the network: a route or a shape that changes
 * on the server without `npm run openapi:client` breaks this file's build.
 */
import { createLedgerApiClient, type CommandAnswer, type LedgerApiClient } from '#api-client';
import { readLedgerConfig } from '#configuration';
import { comparePositions, formatPosition, parsePosition, type RecordedEvent } from '#event-store';
import { createTestDatabase, type TestDatabase } from '#testing';
import { startLedgerApi, type RunningLedgerApi } from '../apps/ledger-api/src/ledger-api.js';

const ADMIN_KEY = 'test-admin-key-buy-request-settlement-01';
const CREDITS_EXPIRE_AT = '2030-06-01T00:00:00.000Z';
const DAY_MS = 86_400_000;

/** What openapi-fetch answers: the body as `data` (2xx) or `error` (otherwise), and the response. */
interface ClientAnswer<Data> {
  readonly data?: Data;
  readonly error?: unknown;
  readonly response: Response;
}

describe('from a buy request to a settled deal over HTTP', () => {
  let api: RunningLedgerApi;
  let database: TestDatabase;
  let broker: LedgerApiClient;
  let dashboard: LedgerApiClient;

  /** A call that must succeed with `expectedStatus`: its answer. */
  const succeeded = async <Data>(pending: Promise<ClientAnswer<Data>>, expectedStatus = 200): Promise<Data> => {
    const { data, error, response } = await pending;
    expect({ url: response.url, status: response.status, error }).toEqual({ url: response.url, status: expectedStatus, error: undefined });
    return data!;
  };
  const command = (pending: Promise<ClientAnswer<CommandAnswer>>, expectedStatus = 200): Promise<CommandAnswer> => succeeded(pending, expectedStatus);
  /** Read your writes: the read waits until the projections have passed `position`. */
  const after = (position: string) => ({ header: { 'X-Min-Position': position } });
  const issueKey = async (principalId: string, role: 'broker' | 'dashboard'): Promise<string> => {
    const admin = createLedgerApiClient({ baseUrl: api.url, apiKey: ADMIN_KEY });
    return (await succeeded(admin.POST('/v1/admin/api-keys', { body: { role, principalId } }), 201)).key;
  };
  /** The first event of `type` on the stream, once the process manager has recorded it. */
  const recorded = async (stream: string, type: string, timeoutMs = 10_000): Promise<RecordedEvent> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const event = (await api.store.readStream(stream)).find((candidate) => candidate.type === type);
      if (event !== undefined) return event;
      if (Date.now() > deadline) throw new Error(`no ${type} on ${stream} in ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };
  /** The latest of some positions, in the text form X-Min-Position takes. */
  const latest = (...positions: string[]): string =>
    positions.reduce((a, b) => (comparePositions(parsePosition(a)!, parsePosition(b)!) >= 0 ? a : b));

  const verifiedListing = async (creditType: 'prepaid_api' | 'startup_program' | 'fine_tuning', verifiedFaceValueCents: string, askPriceCents: string): Promise<CommandAnswer> => {
    const body = {
      sellerId: 'seller-acme',
      provider: 'openai',
      creditType,
      providerOrgRef: 'org-acme-123',
      faceValueCents: verifiedFaceValueCents,
      currency: 'USD',
      creditExpiresAt: CREDITS_EXPIRE_AT,
      askPriceCents,
    };
    const { id } = await command(broker.POST('/v1/listings', { body }), 201);
    return command(
      broker.POST('/v1/listings/{id}/verification', {
        params: { path: { id } },
        body: { verifiedFaceValueCents, verifiedExpiresAt: CREDITS_EXPIRE_AT, evidence: { method: 'provider_dashboard', reference: `screenshot-${creditType}`, checkedAt: new Date().toISOString() } },
      }),
    );
  };

  beforeAll(async () => {
    database = await createTestDatabase([]);
    api = await startLedgerApi(readLedgerConfig({ DATABASE_URL: database.url, PORT: '0', LEDGER_ADMIN_KEY: ADMIN_KEY, LEDGER_RATE_LIMIT_PER_MINUTE: '100000' }));
    broker = createLedgerApiClient({ baseUrl: api.url, apiKey: await issueKey('broker-ana', 'broker') });
    dashboard = createLedgerApiClient({ baseUrl: api.url, apiKey: await issueKey('dashboard-dee', 'dashboard') });
  });

  afterAll(async () => {
    await api?.close();
    await database?.drop();
  });

  it('places a request, suggests the listing that fits, opens a deal from it, settles it, and records the fill, the sale and the timings', async () => {
    // The market. The fitting listing has more than the request wants: the offer is the part wanted,
    // 1,000,000 of 1,600,000 at the ask pro-rated and rounded up: 800,001 x 1,000,000 / 1,600,000 = 500,000.625 -> 500,001.
    const fits = await verifiedListing('prepaid_api', '1600000', '800001');
    // Fits too, at 58% of face value: suggested after the cheaper one.
    const dearer = await verifiedListing('startup_program', '1000000', '580000');
    // 65% of face value: above the request's 60% ceiling.
    const aboveCeiling = await verifiedListing('prepaid_api', '1000000', '650000');
    // The cheapest of all, but a credit type the request does not accept.
    const wrongType = await verifiedListing('fine_tuning', '1000000', '300000');

    const deadline = new Date(Math.floor((Date.now() + 30 * DAY_MS) / 1000) * 1000).toISOString();
    const placed = await command(
      broker.POST('/v1/buy-requests', {
        body: { buyerId: 'buyer-globex', provider: 'openai', creditTypes: ['prepaid_api', 'startup_program'], faceValueCents: '1000000', maxPriceBps: 6_000, minValidityDays: 30, deadline },
      }),
      201,
    );
    expect(placed).toEqual({ id: expect.any(String), streamRevision: 0, position: expect.stringMatching(/^\d+\.\d+$/) });
    const buyRequestId = placed.id;
    // Another open request the fitting listing could fill, for a smaller part: it stays suggested throughout.
    const other = await command(
      broker.POST('/v1/buy-requests', { body: { buyerId: 'buyer-initech', provider: 'openai', creditTypes: ['prepaid_api'], faceValueCents: '200000', maxPriceBps: 6_000, minValidityDays: 30, deadline } }),
      201,
    );

    // We find a match: the fitting listings, best first; not the one above the ceiling nor the one of another credit type.
    const matches = await succeeded(broker.GET('/v1/buy-requests/{id}/matches', { params: { path: { id: buyRequestId }, ...after(other.position!) } }));
    expect(matches).toEqual({
      items: [
        {
          listingId: fits.id,
          buyRequestId,
          availableFaceValueCents: '1000000',
          priceCents: '500001',
          // floor((1,000,000 - 500,001) x 10,000 / 1,000,000) = floor(4,999.99)
          discountBps: 4_999,
          creditExpiresAt: CREDITS_EXPIRE_AT,
          sellerId: 'seller-acme',
          buyerId: 'buyer-globex',
          creditType: 'prepaid_api',
        },
        {
          listingId: dearer.id,
          buyRequestId,
          availableFaceValueCents: '1000000',
          priceCents: '580000',
          discountBps: 4_200,
          creditExpiresAt: CREDITS_EXPIRE_AT,
          sellerId: 'seller-acme',
          buyerId: 'buyer-globex',
          creditType: 'startup_program',
        },
      ],
      nextCursor: null,
    });
    const suggested = matches.items.map((item) => item.listingId);
    expect(suggested).not.toContain(aboveCeiling.id);
    expect(suggested).not.toContain(wrongType.id);
    // And the other way round: the fitting listing offers itself to both requests, the cheaper offer per face value first
    // (500,001 for 1,000,000 before 100,001 for 200,000: 800,001 x 200,000 / 1,600,000 = 100,000.125 -> 100,001).
    const requestsForListing = await succeeded(broker.GET('/v1/listings/{id}/matches', { params: { path: { id: fits.id }, ...after(other.position!) } }));
    expect(requestsForListing.items.map((item) => [item.buyRequestId, item.availableFaceValueCents, item.priceCents])).toEqual([
      [buyRequestId, '1000000', '500001'],
      [other.id, '200000', '100001'],
    ]);

    // The broker opens a deal from the best suggestion, naming the request.
    const [best] = matches.items;
    const opened = await command(
      broker.POST('/v1/deals', {
        body: { listingId: best!.listingId, buyerId: 'buyer-globex', faceValueCents: best!.availableFaceValueCents, priceCents: best!.priceCents, commissionBps: 1_000, buyRequestId },
      }),
      201,
    );
    const dealId = opened.id;
    const dealPath = { path: { id: dealId } };
    // The reservation process manager records the fill once the deal is open.
    const filled = await recorded(`buy-request-${buyRequestId}`, 'BuyRequestFilled');
    expect(filled.data).toMatchObject({ buyRequestId, dealId, faceValueCents: '1000000', filledFaceValueCents: '1000000' });
    const afterFill = latest(opened.position!, formatPosition(filled.position));
    expect(await succeeded(broker.GET('/v1/buy-requests/{id}', { params: { path: { id: buyRequestId }, ...after(afterFill) } }))).toMatchObject({ status: 'filled', filledFaceValueCents: '1000000', unfilledFaceValueCents: '0' });
    expect(await succeeded(broker.GET('/v1/listings/{id}', { params: { path: { id: fits.id }, ...after(afterFill) } }))).toMatchObject({ status: 'available', reservedFaceValueCents: '1000000', availableFaceValueCents: '600000' });

    // Approvals, payment, transfer, confirmation and payout, as test/deal-lifecycle.spec.ts drives them.
    const paidTooEarly = await broker.POST('/v1/deals/{id}/payments', { params: dealPath, body: { amountCents: '500001', paymentRef: 'wire-0' } });
    expect(paidTooEarly.error).toMatchObject({ statusCode: 409, code: 'DEAL_NOT_APPROVED' });
    for (const party of ['seller', 'buyer'] as const) {
      await command(broker.POST('/v1/deals/{id}/approvals', { params: dealPath, body: { party, termsVersion: 1, evidence: { method: 'email', reference: `${party}-ok` } } }));
    }
    await command(broker.POST('/v1/deals/{id}/payments', { params: dealPath, body: { amountCents: '200000', paymentRef: 'wire-1' } }));
    const overpaid = await broker.POST('/v1/deals/{id}/payments', { params: dealPath, body: { amountCents: '300002', paymentRef: 'wire-2' } });
    expect(overpaid.error).toMatchObject({ statusCode: 409, code: 'PAYMENT_EXCEEDS_PRICE' });
    await command(broker.POST('/v1/deals/{id}/payments', { params: dealPath, body: { amountCents: '300001', paymentRef: 'wire-2' } }));
    await command(broker.POST('/v1/deals/{id}/transfer', { params: dealPath, body: { mechanism: 'organization_membership', reference: 'org-invite-9' } }));
    await command(
      broker.POST('/v1/deals/{id}/transfer/confirmation', { params: dealPath, body: { confirmedFaceValueCents: '1000000', evidence: { method: 'provider_console', reference: 'member-added' } } }),
    );
    const paidOut = await command(broker.POST('/v1/deals/{id}/payout', { params: dealPath, body: { payoutRef: 'payout-7' } }));
    expect(paidOut).toMatchObject({ id: dealId, streamRevision: 8 });

    // The sale follows the settlement through the process manager; every read below waits for it.
    const sold = await recorded(`listing-${fits.id}`, 'ListingSold');
    expect(sold.data).toMatchObject({ listingId: fits.id, dealId, faceValueCents: '1000000' });
    const head = latest(afterFill, paidOut.position!, formatPosition(sold.position));

    const deal = await succeeded(broker.GET('/v1/deals/{id}', { params: { ...dealPath, ...after(head) } }));
    expect(deal).toMatchObject({
      id: dealId,
      status: 'settled',
      listingId: fits.id,
      buyRequestId,
      sellerId: 'seller-acme',
      buyerId: 'buyer-globex',
      brokerId: 'broker-ana',
      faceValueCents: '1000000',
      priceCents: '500001',
      commissionBps: 1_000,
      commissionCents: '50000',
      payoutCents: '450001',
      paidCents: '500001',
      termsVersion: 1,
      closedAt: expect.any(String),
    });
    expect((await api.store.readStream(`deal-${dealId}`)).find((event) => event.type === 'SellerPayoutIssued')!.data).toMatchObject({ amountCents: '450001' });

    // The request took the whole face value it wanted from this one deal: filled.
    const request = await succeeded(broker.GET('/v1/buy-requests/{id}', { params: { path: { id: buyRequestId }, ...after(head) } }));
    expect(request).toEqual({
      id: buyRequestId,
      status: 'filled',
      buyerId: 'buyer-globex',
      provider: 'openai',
      creditTypes: ['prepaid_api', 'startup_program'],
      faceValueCents: '1000000',
      filledFaceValueCents: '1000000',
      unfilledFaceValueCents: '0',
      maxPriceBps: 6_000,
      minValidityDays: 30,
      deadline,
      placedAt: expect.any(String),
      placedBy: 'broker-ana',
      streamRevision: 1,
    });
    expect(await succeeded(broker.GET('/v1/listings/{id}', { params: { path: { id: fits.id }, ...after(head) } }))).toMatchObject({
      id: fits.id,
      status: 'available',
      verifiedFaceValueCents: '1600000',
      reservedFaceValueCents: '0',
      soldFaceValueCents: '1000000',
      availableFaceValueCents: '600000',
    });

    // Neither side suggests the filled request any more; the other request is still offered what is left.
    expect(await succeeded(broker.GET('/v1/buy-requests/{id}/matches', { params: { path: { id: buyRequestId }, ...after(head) } }))).toEqual({ items: [], nextCursor: null });
    const afterSale = await succeeded(broker.GET('/v1/listings/{id}/matches', { params: { path: { id: fits.id }, ...after(head) } }));
    expect(afterSale.items.map((item) => [item.buyRequestId, item.availableFaceValueCents, item.priceCents])).toEqual([[other.id, '200000', '100001']]);
    expect((await succeeded(broker.GET('/v1/listings/{id}/matches', { params: { path: { id: dearer.id }, ...after(head) } }))).items.map((item) => item.buyRequestId)).toEqual([]);

    // The dashboard timed one match of a request and one settlement, from the facts' own times.
    const placedToFill = Date.parse(String(filled.data.filledAt)) - Date.parse(request.placedAt);
    const openedToSettled = Date.parse(deal.closedAt!) - Date.parse(deal.openedAt);
    const verifiedEvent = (await api.store.readStream(`listing-${fits.id}`)).find((event) => event.type === 'ListingVerified')!;
    const verifiedToDeal = Date.parse(deal.openedAt) - Date.parse(String(verifiedEvent.data.verifiedAt));
    const summary = await succeeded(dashboard.GET('/v1/dashboard/summary', { params: after(head) }));
    expect(summary).toMatchObject({
      pipeline: { settled: 1, total: 1 },
      volume: { settledDeals: 1, settledPriceCents: { USD: '500001' }, openDeals: 0 },
      commissionEarnedCents: { USD: '50000' },
      timings: {
        timeToMatch: {
          listingVerifiedToFirstDeal: { samples: 1, medianMs: verifiedToDeal, p90Ms: verifiedToDeal },
          buyRequestPlacedToFirstFill: { samples: 1, medianMs: placedToFill, p90Ms: placedToFill },
        },
        timeToSettle: { samples: 1, medianMs: openedToSettled, p90Ms: openedToSettled },
      },
    });
  });
});
