/**
 * The buy-request read routes and the match suggestions end to end, over
 * HTTP on a real PostgreSQL: the facts are decided by the domain's deciders
 * and appended to the API's own store (what the command routes would
 * record), projected by the API's subscriptions, and read back with
 * X-Min-Position (never a sleep): shapes, filters, pages, limits, roles.
 */
import { randomUUID } from 'node:crypto';
import { readLedgerConfig } from '#configuration';
import { buyRequestDecider, buyRequestStreamId, listingDecider, listingStreamId, type BuyRequestCommand, type ListingCommand } from '#domain';
import { formatPosition, type EventStore } from '#event-store';
import { createTestDatabase, decideEvents, type EncodingDecider, type TestDatabase } from '#testing';
import { startLedgerApi, type RunningLedgerApi } from '../apps/ledger-api/src/ledger-api.js';

const ADMIN_KEY = 'test-admin-key-buy-request-queries-0123';
const DAY_MS = 86_400_000;
const NOW = new Date();
const CREDITS_EXPIRE_AT = new Date(Date.UTC(2030, 5, 1));
const DEADLINE = new Date(Math.floor((NOW.getTime() + 30 * DAY_MS) / 1000) * 1000);

interface Answer {
  readonly statusCode: number;
  json<T = Record<string, unknown>>(): T;
}

interface Page<Item = Record<string, unknown>> {
  readonly items: Item[];
  readonly nextCursor: string | null;
}

describe('the buy-request queries and match suggestions over HTTP', () => {
  let api: RunningLedgerApi;
  let database: TestDatabase;
  let brokerKey: string;
  let dashboardKey: string;
  const run = randomUUID().slice(0, 8);
  const provider = `e2e-${run}`;

  const get = (url: string, key: string | null, minPosition?: string): Promise<Answer> =>
    api.app.inject({
      method: 'GET',
      url,
      headers: { ...(key === null ? {} : { authorization: `Bearer ${key}` }), ...(minPosition === undefined ? {} : { 'x-min-position': minPosition }) },
    }) as Promise<Answer>;
  const issueKey = async (principalId: string, role: string): Promise<string> => {
    const response = await api.app.inject({ method: 'POST', url: '/v1/admin/api-keys', payload: { role, principalId }, headers: { authorization: `Bearer ${ADMIN_KEY}` } });
    expect(response.statusCode).toBe(201);
    return response.json<{ key: string }>().key;
  };

  /** What the command routes would append for these commands; the position of the last event, as a command answers it. */
  async function record<State, Command, Event>(store: EventStore, decider: EncodingDecider<State, Command, Event>, streamId: string, commands: Command[]): Promise<string> {
    const metadata = () => ({ actorId: 'broker-ana', actorRole: 'broker', correlationId: randomUUID(), causationId: null, occurredAt: NOW.toISOString(), schemaVersion: 1 });
    const { events } = decideEvents(decider, commands, NOW, metadata);
    return formatPosition((await store.append(streamId, events, 'no_stream')).position);
  }

  const placeRequest = (buyerId: string, overrides: Partial<Extract<BuyRequestCommand, { type: 'PlaceBuyRequest' }>> = {}, more: (id: string) => BuyRequestCommand[] = () => []) => {
    const buyRequestId = randomUUID();
    const commands: BuyRequestCommand[] = [
      {
        type: 'PlaceBuyRequest',
        placedBy: 'broker-ana',
        buyRequestId,
        buyerId,
        provider,
        creditTypes: ['prepaid_api', 'startup_program'],
        faceValueCents: 1_000_000n,
        maxPriceBps: 6_000,
        minValidityDays: 30,
        deadline: DEADLINE,
        ...overrides,
      },
      ...more(buyRequestId),
    ];
    return record(api.store, buyRequestDecider, buyRequestStreamId(buyRequestId), commands).then((position) => ({ id: buyRequestId, position }));
  };

  const verifiedListing = (listingProvider: string, askPriceCents: bigint, verifiedFaceValueCents = 1_000_000n) => {
    const listingId = randomUUID();
    const commands: ListingCommand[] = [
      {
        type: 'SubmitListing',
        submittedBy: 'broker-ana',
        listingId,
        sellerId: `seller-${run}`,
        provider: listingProvider,
        creditType: 'prepaid_api',
        providerOrgRef: 'org-1',
        currency: 'USD',
        claimedFaceValueCents: verifiedFaceValueCents,
        creditExpiresAt: CREDITS_EXPIRE_AT,
        askPriceCents,
      },
      {
        type: 'VerifyListing',
        listingId,
        verifiedBy: 'ops',
        verifiedFaceValueCents,
        verifiedExpiresAt: CREDITS_EXPIRE_AT,
        evidence: { method: 'provider_console', reference: 'ticket-1', checkedAt: NOW },
      },
    ];
    return record(api.store, listingDecider, listingStreamId(listingId), commands).then((position) => ({ id: listingId, position }));
  };

  beforeAll(async () => {
    database = await createTestDatabase([]);
    api = await startLedgerApi(readLedgerConfig({ DATABASE_URL: database.url, PORT: '0', LEDGER_ADMIN_KEY: ADMIN_KEY, LEDGER_RATE_LIMIT_PER_MINUTE: '100000' }));
    brokerKey = await issueKey('broker-ana', 'broker');
    dashboardKey = await issueKey('dashboard-dee', 'dashboard');
  });

  afterAll(async () => {
    await api?.close();
    await database?.drop();
  });

  it('reads a buy request back right after it is placed, in the shape of API.md, for every reading role', async () => {
    const placed = await placeRequest(`buyer-shape-${run}`);
    for (const key of [brokerKey, dashboardKey, ADMIN_KEY]) {
      const response = await get(`/v1/buy-requests/${placed.id}`, key, placed.position);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({
        id: placed.id,
        status: 'open',
        buyerId: `buyer-shape-${run}`,
        provider,
        creditTypes: ['prepaid_api', 'startup_program'],
        faceValueCents: '1000000',
        filledFaceValueCents: '0',
        unfilledFaceValueCents: '1000000',
        maxPriceBps: 6_000,
        minValidityDays: 30,
        deadline: DEADLINE.toISOString(),
        placedAt: NOW.toISOString(),
        placedBy: 'broker-ana',
        streamRevision: 0,
      });
    }
    expect((await get(`/v1/buy-requests/${placed.id}`, null)).statusCode).toBe(401);
    expect((await get(`/v1/buy-requests/${randomUUID()}`, brokerKey)).json()).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
    expect((await get('/v1/buy-requests/not-a-uuid', brokerKey)).statusCode).toBe(400);
  });

  it('filters by buyer and status, and walks every page exactly once', async () => {
    const buyerId = `buyer-pages-${run}`;
    const placed: string[] = [];
    let position = '';
    for (let index = 0; index < 5; index += 1) {
      const answer = await placeRequest(buyerId);
      placed.push(answer.id);
      position = answer.position;
    }
    const cancelled = await placeRequest(buyerId, {}, (id) => [{ type: 'CancelBuyRequest', buyRequestId: id, reason: 'bought elsewhere' }]);
    const ids: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const response = await get(`/v1/buy-requests?buyerId=${buyerId}&status=open&limit=2${cursor === null ? '' : `&cursor=${cursor}`}`, brokerKey, position);
      expect(response.statusCode).toBe(200);
      const page = response.json<Page<{ id: string }>>();
      ids.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor !== null && pages < 10);
    expect(pages).toBe(3);
    expect(ids.sort()).toEqual([...placed].sort());
    const cancelledPage = await get(`/v1/buy-requests?buyerId=${buyerId}&status=cancelled`, dashboardKey, cancelled.position);
    expect(cancelledPage.json<Page<{ id: string }>>().items.map((item) => item.id)).toEqual([cancelled.id]);
    expect((await get('/v1/buy-requests?status=pending', brokerKey)).json()).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
    expect((await get('/v1/buy-requests?limit=201', brokerKey)).statusCode).toBe(400);
    expect((await get('/v1/buy-requests?cursor=bogus', brokerKey)).statusCode).toBe(400);
  });

  it('suggests the fitting listings of a request, best first, and the fitting requests of a listing', async () => {
    // A market of its own: the requests of the other cases would fit these listings too.
    const market = `e2e-match-${run}`;
    const cheap = await verifiedListing(market, 500_000n);
    const dearer = await verifiedListing(market, 1_100_000n, 2_000_000n);
    await verifiedListing(market, 700_000n);
    const request = await placeRequest(`buyer-match-${run}`, { provider: market });
    const bigger = await placeRequest(`buyer-match-${run}`, { provider: market, faceValueCents: 5_000_000n, maxPriceBps: 5_000, deadline: new Date(DEADLINE.getTime() - DAY_MS) });

    const matches = await get(`/v1/buy-requests/${request.id}/matches`, brokerKey, bigger.position);
    expect(matches.statusCode).toBe(200);
    expect(matches.json()).toEqual({
      items: [
        {
          listingId: cheap.id,
          buyRequestId: request.id,
          availableFaceValueCents: '1000000',
          priceCents: '500000',
          discountBps: 5_000,
          creditExpiresAt: CREDITS_EXPIRE_AT.toISOString(),
          sellerId: `seller-${run}`,
          buyerId: `buyer-match-${run}`,
          creditType: 'prepaid_api',
        },
        expect.objectContaining({ listingId: dearer.id, availableFaceValueCents: '1000000', priceCents: '550000', discountBps: 4_500 }),
      ],
      nextCursor: null,
    });
    expect((await get(`/v1/buy-requests/${request.id}/matches?limit=1`, dashboardKey)).json<Page>().items).toHaveLength(1);

    const requests = await get(`/v1/listings/${cheap.id}/matches`, brokerKey, bigger.position);
    expect(requests.statusCode).toBe(200);
    expect(requests.json<Page<{ buyRequestId: string; availableFaceValueCents: string }>>().items.map((item) => [item.buyRequestId, item.availableFaceValueCents])).toEqual([
      [bigger.id, '1000000'],
      [request.id, '1000000'],
    ]);

    expect((await get(`/v1/buy-requests/${request.id}/matches?limit=101`, brokerKey)).json()).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
    expect((await get(`/v1/buy-requests/${request.id}/matches?cursor=x`, brokerKey)).statusCode).toBe(400);
    expect((await get(`/v1/buy-requests/${randomUUID()}/matches`, brokerKey)).statusCode).toBe(404);
    expect((await get(`/v1/listings/${randomUUID()}/matches`, brokerKey)).statusCode).toBe(404);
    expect((await get(`/v1/listings/${cheap.id}/matches`, null)).statusCode).toBe(401);
  });
});
