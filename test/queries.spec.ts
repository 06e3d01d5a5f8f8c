/**
 * The listing and deal read routes end to end, over HTTP on a real
 * PostgreSQL: written through the command routes, read back through the
 * projections with X-Min-Position (never a sleep), filtered, paged, scoped
 * to the broker, and "as of" a moment in a deal's history.
 */
import { randomUUID } from 'node:crypto';
import { readLedgerConfig } from '#configuration';
import { createTestDatabase, type TestDatabase } from '#testing';
import { startLedgerApi, type RunningLedgerApi } from '../apps/ledger-api/src/ledger-api.js';

const ADMIN_KEY = 'test-admin-key-queries-0123456789';
const CREDITS_EXPIRE_AT = '2030-06-01T00:00:00.000Z';
/** Short, so the READ_MODEL_BEHIND case answers quickly; the real default is 5 s. */
const READ_YOUR_WRITES_TIMEOUT_MS = 300;

interface Answer {
  readonly statusCode: number;
  readonly body: string;
  readonly headers: Record<string, unknown>;
  json<T = Record<string, unknown>>(): T;
}

interface CommandAnswer {
  readonly id: string;
  readonly streamRevision: number;
  readonly position: string;
}

interface Page<Item = Record<string, unknown>> {
  readonly items: Item[];
  readonly nextCursor: string | null;
}

describe('the listing and deal queries over HTTP', () => {
  let api: RunningLedgerApi;
  let database: TestDatabase;
  let brokerKey: string;
  let otherBrokerKey: string;
  let complianceKey: string;
  let dashboardKey: string;
  /** Unique per run, so filters and page walks see only this file's rows. */
  const run = randomUUID().slice(0, 8);

  const post = (url: string, payload: unknown, key: string): Promise<Answer> =>
    api.app.inject({ method: 'POST', url, payload: payload as object, headers: { authorization: `Bearer ${key}` } }) as Promise<Answer>;
  const get = (url: string, key: string, minPosition?: string): Promise<Answer> =>
    api.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${key}`, ...(minPosition === undefined ? {} : { 'x-min-position': minPosition }) } }) as Promise<Answer>;
  const issueKey = async (principalId: string, role: string): Promise<string> => {
    const response = await post('/v1/admin/api-keys', { role, principalId }, ADMIN_KEY);
    expect(response.statusCode).toBe(201);
    return response.json<{ key: string }>().key;
  };
  const command = async (url: string, payload: unknown, key = brokerKey): Promise<CommandAnswer> => {
    const response = await post(url, payload, key);
    expect([200, 201]).toContain(response.statusCode);
    return response.json<CommandAnswer>();
  };

  const submitListing = (sellerId: string, overrides: Record<string, unknown> = {}) =>
    command('/v1/listings', {
      sellerId,
      provider: 'openai',
      creditType: 'prepaid_api',
      providerOrgRef: 'org-acme-123',
      faceValueCents: '1000000',
      currency: 'USD',
      creditExpiresAt: CREDITS_EXPIRE_AT,
      askPriceCents: '600000',
      ...overrides,
    });
  const verifyListing = (id: string, faceValueCents = '1000000') =>
    command(`/v1/listings/${id}/verification`, {
      verifiedFaceValueCents: faceValueCents,
      verifiedExpiresAt: CREDITS_EXPIRE_AT,
      evidence: { method: 'provider_dashboard', reference: 'screenshot-42', checkedAt: '2026-11-20T09:00:00Z' },
    });
  const openDeal = async (key: string, buyerId = `buyer-${run}`): Promise<CommandAnswer> => {
    const listing = await submitListing(`seller-deals-${run}`);
    await verifyListing(listing.id);
    return command('/v1/deals', { listingId: listing.id, buyerId, faceValueCents: '400000', priceCents: '240000', commissionBps: 1_000 }, key);
  };

  async function walk<Item extends { id: string }>(url: string, key: string, limit: number): Promise<{ ids: string[]; pages: number }> {
    const ids: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const separator = url.includes('?') ? '&' : '?';
      const response = await get(`${url}${separator}limit=${limit}${cursor === null ? '' : `&cursor=${cursor}`}`, key);
      expect(response.statusCode).toBe(200);
      const page = response.json<Page<Item>>();
      expect(page.items.length).toBeLessThanOrEqual(limit);
      ids.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor;
      pages += 1;
      expect(pages).toBeLessThan(100);
    } while (cursor !== null);
    return { ids, pages };
  }

  beforeAll(async () => {
    database = await createTestDatabase([]);
    api = await startLedgerApi(readLedgerConfig({ DATABASE_URL: database.url, PORT: '0', LEDGER_ADMIN_KEY: ADMIN_KEY, LEDGER_RATE_LIMIT_PER_MINUTE: '100000' }), {
      readYourWritesTimeoutMs: READ_YOUR_WRITES_TIMEOUT_MS,
    });
    brokerKey = await issueKey('broker-ana', 'broker');
    otherBrokerKey = await issueKey('broker-ben', 'broker');
    complianceKey = await issueKey('compliance-cy', 'compliance');
    dashboardKey = await issueKey('dashboard-dee', 'dashboard');
  });

  afterAll(async () => {
    await api?.close();
    await database?.drop();
  });

  it('reads a listing back right after writing it, in the shape of API.md, for every reading role', async () => {
    const submitted = await submitListing(`seller-shape-${run}`);
    const verified = await verifyListing(submitted.id, '900000');
    for (const key of [brokerKey, complianceKey, dashboardKey, ADMIN_KEY]) {
      const response = await get(`/v1/listings/${submitted.id}`, key, verified.position);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({
        id: submitted.id,
        status: 'available',
        sellerId: `seller-shape-${run}`,
        provider: 'openai',
        creditType: 'prepaid_api',
        currency: 'USD',
        faceValueCents: '1000000',
        verifiedFaceValueCents: '900000',
        reservedFaceValueCents: '0',
        soldFaceValueCents: '0',
        availableFaceValueCents: '900000',
        withdrawnFaceValueCents: '0',
        expiredFaceValueCents: '0',
        askPriceCents: '600000',
        creditExpiresAt: CREDITS_EXPIRE_AT,
        submittedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T.+Z$/),
        submittedBy: 'broker-ana',
        streamRevision: 1,
      });
    }
  });

  it('reads a deal back right after opening it, in the shape of API.md', async () => {
    const opened = await openDeal(brokerKey);
    const response = await get(`/v1/deals/${opened.id}`, brokerKey, opened.position);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      id: opened.id,
      status: 'awaiting_approvals',
      listingId: expect.any(String),
      sellerId: `seller-deals-${run}`,
      buyerId: `buyer-${run}`,
      brokerId: 'broker-ana',
      faceValueCents: '400000',
      priceCents: '240000',
      commissionBps: 1_000,
      commissionCents: '24000',
      payoutCents: '216000',
      paidCents: '0',
      termsVersion: 1,
      approvalDeadline: expect.stringMatching(/Z$/),
      creditExpiresAt: CREDITS_EXPIRE_AT,
      streamRevision: 0,
    });
    const listing = await get(`/v1/listings/${response.json<{ listingId: string }>().listingId}`, brokerKey, opened.position);
    expect(listing.json()).toMatchObject({ reservedFaceValueCents: '400000', availableFaceValueCents: '600000' });
  });

  it('filters listings by status, provider, credit type, seller and expiry', async () => {
    const sellerId = `seller-filter-${run}`;
    const submittedOnly = await submitListing(sellerId, { provider: 'anthropic', creditType: 'fine_tuning', creditExpiresAt: '2029-01-01T00:00:00Z' });
    const available = await submitListing(sellerId);
    const last = await verifyListing(available.id);
    const ids = async (query: string): Promise<string[]> => {
      const response = await get(`/v1/listings?sellerId=${sellerId}&${query}`, dashboardKey, last.position);
      expect(response.statusCode).toBe(200);
      return response.json<Page<{ id: string }>>().items.map((item) => item.id);
    };
    expect((await ids('limit=200')).sort()).toEqual([submittedOnly.id, available.id].sort());
    expect(await ids('status=submitted')).toEqual([submittedOnly.id]);
    expect(await ids('status=available')).toEqual([available.id]);
    expect(await ids('provider=anthropic')).toEqual([submittedOnly.id]);
    expect(await ids('creditType=prepaid_api')).toEqual([available.id]);
    expect(await ids('expiringBefore=2029-06-01T00:00:00Z')).toEqual([submittedOnly.id]);
    expect(await ids('status=withdrawn')).toEqual([]);
  });

  it('walks every page of listings exactly once, in a stable order', async () => {
    const sellerId = `seller-pages-${run}`;
    const created: string[] = [];
    let position = '';
    for (let index = 0; index < 7; index += 1) {
      const answer = await submitListing(sellerId);
      created.push(answer.id);
      position = answer.position;
    }
    expect((await get(`/v1/listings?sellerId=${sellerId}`, brokerKey, position)).json<Page>().items).toHaveLength(7);
    const { ids, pages } = await walk(`/v1/listings?sellerId=${sellerId}`, brokerKey, 3);
    expect(pages).toBe(3);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual([...created].sort());
    // Stable: the same walk gives the same order.
    expect((await walk(`/v1/listings?sellerId=${sellerId}`, brokerKey, 2)).ids).toEqual(ids);
  });

  it('bounds the page size and refuses malformed cursors, positions and unknown parameters with 400', async () => {
    expect((await get('/v1/listings?limit=200', brokerKey)).statusCode).toBe(200);
    for (const query of ['limit=0', 'limit=201', 'limit=abc', 'limit=1.5', 'status=bogus', 'expiringBefore=tomorrow', 'colour=blue']) {
      const response = await get(`/v1/listings?${query}`, brokerKey);
      expect({ query, statusCode: response.statusCode, code: response.json().code }).toEqual({ query, statusCode: 400, code: 'VALIDATION_FAILED' });
    }
    const forged = Buffer.from(JSON.stringify({ offset: 10 })).toString('base64url');
    for (const cursor of ['not!a!cursor', 'bm90LWpzb24', forged, `${Buffer.from(JSON.stringify(['2026-01-01T00:00:00.000Z', 'x'])).toString('base64url')}A`]) {
      for (const route of ['/v1/listings', '/v1/deals']) {
        const response = await get(`${route}?cursor=${encodeURIComponent(cursor)}`, complianceKey);
        expect({ cursor, statusCode: response.statusCode, code: response.json().code }).toEqual({ cursor, statusCode: 400, code: 'VALIDATION_FAILED' });
      }
    }
    for (const position of ['abc', '12', '1.2.3', '-1.0', '99999999999999999999999.0']) {
      const response = await get('/v1/deals', complianceKey, position);
      expect({ position, statusCode: response.statusCode, code: response.json().code }).toEqual({ position, statusCode: 400, code: 'VALIDATION_FAILED' });
    }
    expect((await get(`/v1/deals/${randomUUID()}?asOf=yesterday`, complianceKey)).statusCode).toBe(400);
    expect((await get('/v1/deals/not-a-uuid', complianceKey)).statusCode).toBe(400);
  });

  it('answers 404 NOT_FOUND for unknown ids', async () => {
    for (const url of [`/v1/listings/${randomUUID()}`, `/v1/deals/${randomUUID()}`, `/v1/deals/${randomUUID()}?asOf=2030-01-01T00:00:00Z`]) {
      const response = await get(url, complianceKey);
      expect(response.statusCode).toBe(404);
      expect(response.json()).toMatchObject({ code: 'NOT_FOUND' });
    }
  });

  it("keeps a broker away from another broker's deals, by id, in lists and as of a time (BOLA)", async () => {
    const buyerId = `buyer-bola-${run}`;
    const anas = await openDeal(brokerKey, buyerId);
    const bens = await openDeal(otherBrokerKey, buyerId);
    const position = bens.position;

    for (const url of [`/v1/deals/${anas.id}`, `/v1/deals/${anas.id}?asOf=2100-01-01T00:00:00Z`]) {
      const response = await get(url, otherBrokerKey, position);
      expect(response.statusCode).toBe(404);
      expect(response.json()).toMatchObject({ code: 'NOT_FOUND' });
    }
    expect((await get(`/v1/deals/${anas.id}`, brokerKey, position)).statusCode).toBe(200);

    const bensList = await get(`/v1/deals?buyerId=${buyerId}`, otherBrokerKey, position);
    expect(bensList.json<Page<{ id: string }>>().items.map((deal) => deal.id)).toEqual([bens.id]);
    const everyBensDeal = await walk<{ id: string; brokerId: string }>('/v1/deals', otherBrokerKey, 50);
    expect(everyBensDeal.ids).not.toContain(anas.id);
    const naming = await get('/v1/deals?brokerId=broker-ana', otherBrokerKey, position);
    expect(naming.statusCode).toBe(403);
    expect(naming.json()).toMatchObject({ code: 'FORBIDDEN' });
    expect((await get('/v1/deals?brokerId=broker-ben', otherBrokerKey, position)).json<Page<{ id: string }>>().items.map((deal) => deal.id)).toContain(bens.id);

    for (const key of [complianceKey, dashboardKey, ADMIN_KEY]) {
      const all = await get(`/v1/deals?buyerId=${buyerId}`, key, position);
      expect(all.json<Page<{ id: string }>>().items.map((deal) => deal.id).sort()).toEqual([anas.id, bens.id].sort());
      const anasOnly = await get(`/v1/deals?buyerId=${buyerId}&brokerId=broker-ana`, key, position);
      expect(anasOnly.json<Page<{ id: string }>>().items.map((deal) => deal.id)).toEqual([anas.id]);
      expect((await get(`/v1/deals/${anas.id}`, key, position)).statusCode).toBe(200);
    }
  });

  it('walks every page of deals exactly once and filters them by status', async () => {
    const buyerId = `buyer-pages-${run}`;
    const created: string[] = [];
    let position = '';
    for (let index = 0; index < 5; index += 1) {
      const answer = await openDeal(brokerKey, buyerId);
      created.push(answer.id);
      position = answer.position;
    }
    const rejected = await command(`/v1/deals/${created[0]}/rejections`, { party: 'buyer', reason: 'changed its mind' });
    expect((await get(`/v1/deals?buyerId=${buyerId}`, complianceKey, rejected.position)).statusCode).toBe(200);
    const { ids, pages } = await walk(`/v1/deals?buyerId=${buyerId}`, complianceKey, 2);
    expect(pages).toBe(3);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual([...created].sort());
    const byStatus = await get(`/v1/deals?buyerId=${buyerId}&status=rejected`, complianceKey, position);
    expect(byStatus.json<Page<{ id: string }>>().items.map((deal) => deal.id)).toEqual([created[0]]);
  });

  it('answers 503 READ_MODEL_BEHIND with Retry-After when the projections do not reach the position within the bound', async () => {
    const future = '18000000000000000000.0';
    for (const url of ['/v1/listings', `/v1/listings/${randomUUID()}`, '/v1/deals', `/v1/deals/${randomUUID()}`]) {
      const startedAt = Date.now();
      const response = await get(url, complianceKey, future);
      const elapsedMs = Date.now() - startedAt;
      expect(response.statusCode).toBe(503);
      expect(response.json()).toMatchObject({ statusCode: 503, code: 'READ_MODEL_BEHIND', details: { minPosition: future } });
      expect(response.headers['retry-after']).toBe('1');
      expect(elapsedMs).toBeGreaterThanOrEqual(READ_YOUR_WRITES_TIMEOUT_MS - 5);
      expect(elapsedMs).toBeLessThan(READ_YOUR_WRITES_TIMEOUT_MS + 2_000);
    }
  });

  it('answers a deal as it was before an amendment with the old terms (asOf)', async () => {
    const opened = await openDeal(brokerKey);
    const [dealOpened] = await api.store.readStream(`deal-${opened.id}`);
    const amended = await command(`/v1/deals/${opened.id}/terms`, { priceCents: '250000' });

    const now = await get(`/v1/deals/${opened.id}`, brokerKey, amended.position);
    expect(now.json()).toMatchObject({ priceCents: '250000', commissionCents: '25000', termsVersion: 2, streamRevision: 1 });

    const before = await get(`/v1/deals/${opened.id}?asOf=${dealOpened!.recordedAt.toISOString()}`, brokerKey);
    expect(before.statusCode).toBe(200);
    expect(before.json()).toMatchObject({ id: opened.id, status: 'awaiting_approvals', priceCents: '240000', commissionCents: '24000', termsVersion: 1, streamRevision: 0 });
    // The same shape as the projection's answer.
    expect(Object.keys(before.json()).sort()).toEqual(Object.keys(now.json()).sort());

    const later = await get(`/v1/deals/${opened.id}?asOf=2100-01-01T00:00:00Z`, complianceKey);
    expect(later.json()).toEqual(now.json());

    const beforeOpening = new Date(dealOpened!.recordedAt.getTime() - 1).toISOString();
    const notYet = await get(`/v1/deals/${opened.id}?asOf=${beforeOpening}`, brokerKey);
    expect(notYet.statusCode).toBe(404);
    expect(notYet.json()).toMatchObject({ code: 'NOT_FOUND' });
  });
});
