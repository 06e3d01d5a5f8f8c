/**
 * The buy-request write side end to end, over HTTP on a real PostgreSQL:
 * placing, amending and cancelling requests; deals opened from a request,
 * refused when they do not fit (nothing written), filled exactly once by the
 * reservation process manager and released when the deal is cancelled; and
 * concurrent deals that together exceed the request never over-fill it.
 * The request's stream is read through the compliance route, from the event
 * store itself.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { readLedgerConfig } from '#configuration';
import { createTestDatabase, type TestDatabase } from '#testing';
import { startLedgerApi, type RunningLedgerApi } from '../apps/ledger-api/src/ledger-api.js';
import { loggedEventCount } from './support/logged-events.js';

const ADMIN_KEY = 'test-admin-key-0123456789abcdef';
const CREDITS_EXPIRE_AT = '2030-06-01T00:00:00.000Z';
const DAY_MS = 24 * 60 * 60 * 1000;

interface Answer {
  readonly statusCode: number;
  readonly body: string;
  readonly headers: Record<string, unknown>;
  json<T = Record<string, unknown>>(): T;
}

interface AuditEvent {
  readonly id: string;
  readonly type: string;
  readonly revision: number;
  readonly data: Record<string, unknown>;
  readonly metadata: Record<string, unknown>;
}

describe('buy-request commands over HTTP', () => {
  let api: RunningLedgerApi;
  let database: TestDatabase;
  let brokerKey: string;
  let complianceKey: string;

  const post = (url: string, payload: unknown, key: string, headers: Record<string, string> = {}): Promise<Answer> =>
    api.app.inject({ method: 'POST', url, payload: payload as object, headers: { authorization: `Bearer ${key}`, ...headers } }) as Promise<Answer>;
  const get = (url: string, key: string): Promise<Answer> => api.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${key}` } }) as Promise<Answer>;
  const issueKey = async (principalId: string, role: string): Promise<string> => {
    const response = await post('/v1/admin/api-keys', { role, principalId }, ADMIN_KEY);
    expect(response.statusCode).toBe(201);
    return response.json<{ key: string }>().key;
  };
  /** A stream's history as compliance sees it (GET /v1/audit/streams/:stream); empty when it has no events. */
  const history = async (stream: string): Promise<AuditEvent[]> => {
    const answer = await get(`/v1/audit/streams/${stream}?limit=1000`, complianceKey);
    if (answer.statusCode === 404) return [];
    expect(answer.statusCode).toBe(200);
    return answer.json<{ items: AuditEvent[] }>().items;
  };
  const typesOf = async (stream: string): Promise<string[]> => (await history(stream)).map((event) => event.type);
  const eventually = async <T>(read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 10_000): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await read();
      if (accept(value)) return value;
      if (Date.now() > deadline) throw new Error(`not reached in ${timeoutMs} ms: ${JSON.stringify(value)}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };

  const requestBody = (overrides: Record<string, unknown> = {}) => ({
    buyerId: 'buyer-globex',
    provider: 'openai',
    creditTypes: ['prepaid_api', 'startup_program'],
    faceValueCents: '1000000',
    maxPriceBps: 6_000,
    minValidityDays: 30,
    deadline: new Date(Date.now() + 30 * DAY_MS).toISOString(),
    ...overrides,
  });

  async function placeRequest(overrides: Record<string, unknown> = {}): Promise<string> {
    const placed = await post('/v1/buy-requests', requestBody(overrides), brokerKey);
    expect(placed.statusCode).toBe(201);
    return placed.json<{ id: string }>().id;
  }

  async function verifiedListing(faceValueCents: string, creditType = 'prepaid_api'): Promise<string> {
    const submitted = await post(
      '/v1/listings',
      {
        sellerId: 'seller-acme',
        provider: 'openai',
        creditType,
        providerOrgRef: 'org-acme-123',
        faceValueCents,
        currency: 'USD',
        creditExpiresAt: CREDITS_EXPIRE_AT,
        askPriceCents: '600000',
      },
      brokerKey,
    );
    expect(submitted.statusCode).toBe(201);
    const { id } = submitted.json<{ id: string }>();
    const verified = await post(
      `/v1/listings/${id}/verification`,
      {
        verifiedFaceValueCents: faceValueCents,
        verifiedExpiresAt: CREDITS_EXPIRE_AT,
        evidence: { method: 'provider_dashboard', reference: 'screenshot-42', checkedAt: new Date().toISOString() },
      },
      brokerKey,
    );
    expect(verified.statusCode).toBe(200);
    return id;
  }

  const openDeal = (listingId: string, buyRequestId: string, faceValueCents: string, priceCents: string, headers: Record<string, string> = {}, buyerId = 'buyer-globex') =>
    post('/v1/deals', { listingId, buyerId, faceValueCents, priceCents, commissionBps: 1_000, buyRequestId }, brokerKey, headers);

  beforeAll(async () => {
    database = await createTestDatabase([]);
    api = await startLedgerApi(readLedgerConfig({ DATABASE_URL: database.url, PORT: '0', LEDGER_ADMIN_KEY: ADMIN_KEY, LEDGER_RATE_LIMIT_PER_MINUTE: '100000' }));
    brokerKey = await issueKey('broker-ana', 'broker');
    complianceKey = await issueKey('compliance-cy', 'compliance');
  });

  afterAll(async () => {
    await api?.close();
    await database?.drop();
  });

  it('places, amends and cancels a request, with Idempotency-Key, If-Match, validation and roles as for listings', async () => {
    const key = `place-${randomUUID()}`;
    const body = requestBody();
    const placed = await post('/v1/buy-requests', body, brokerKey, { 'idempotency-key': key });
    const replayed = await post('/v1/buy-requests', body, brokerKey, { 'idempotency-key': key });
    expect(placed.statusCode).toBe(201);
    expect(placed.json()).toEqual({ id: expect.any(String), streamRevision: 0, position: expect.stringMatching(/^\d+\.\d+$/) });
    expect(replayed.body).toBe(placed.body);
    expect(replayed.headers['idempotent-replayed']).toBe('true');
    const { id } = placed.json<{ id: string }>();
    const stream = `buy-request-${id}`;
    const [placedEvent] = await history(stream);
    expect(placedEvent!.data).toEqual({ ...body, buyRequestId: id, deadline: new Date(body.deadline).toISOString(), placedBy: 'broker-ana', placedAt: expect.any(String) });
    expect(placedEvent!.metadata).toMatchObject({ actorId: 'broker-ana', actorRole: 'broker' });

    const clientId = randomUUID();
    expect((await post('/v1/buy-requests', requestBody({ id: clientId }), brokerKey)).json()).toMatchObject({ id: clientId });
    expect((await post('/v1/buy-requests', requestBody({ id: clientId }), brokerKey)).json()).toMatchObject({ statusCode: 409, code: 'BUY_REQUEST_ALREADY_EXISTS' });

    const amended = await post(`/v1/buy-requests/${id}/amendment`, { maxPriceBps: 6_500, creditTypes: ['fine_tuning'] }, brokerKey, { 'if-match': '0' });
    expect(amended.statusCode).toBe(200);
    expect(amended.json()).toMatchObject({ id, streamRevision: 1 });
    const stale = await post(`/v1/buy-requests/${id}/amendment`, { minValidityDays: 60 }, brokerKey, { 'if-match': '0' });
    expect(stale.json()).toMatchObject({ statusCode: 409, code: 'CONCURRENCY_CONFLICT' });

    const buyerChange = await post(`/v1/buy-requests/${id}/amendment`, { buyerId: 'buyer-initech' }, brokerKey);
    const nothing = await post(`/v1/buy-requests/${id}/amendment`, {}, brokerKey);
    const badTypes = await post('/v1/buy-requests', requestBody({ creditTypes: ['prepaid_api', 'prepaid_api'] }), brokerKey);
    const numberAmount = await post('/v1/buy-requests', requestBody({ faceValueCents: 1000 }), brokerKey);
    const noCeiling = await post('/v1/buy-requests', requestBody({ maxPriceBps: 0 }), brokerKey);
    const noZone = await post('/v1/buy-requests', requestBody({ deadline: '2030-01-01T00:00:00' }), brokerKey);
    expect(buyerChange.json()).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED', details: { buyerId: expect.any(String) } });
    expect(nothing.json()).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
    expect(badTypes.json()).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED', details: { creditTypes: expect.any(String) } });
    expect(numberAmount.json()).toMatchObject({ statusCode: 400, details: { faceValueCents: expect.any(String) } });
    expect(noCeiling.json()).toMatchObject({ statusCode: 400, details: { maxPriceBps: expect.any(String) } });
    expect(noZone.json()).toMatchObject({ statusCode: 400, details: { deadline: expect.any(String) } });
    expect((await post(`/v1/buy-requests/${id}/cancellation`, { reason: 'audit' }, complianceKey)).statusCode).toBe(403);
    expect((await post(`/v1/buy-requests/not-a-uuid/cancellation`, { reason: 'x' }, brokerKey)).statusCode).toBe(400);
    expect((await post(`/v1/buy-requests/${randomUUID()}/cancellation`, { reason: 'x' }, brokerKey)).json()).toMatchObject({
      statusCode: 404,
      code: 'BUY_REQUEST_NOT_FOUND',
    });

    const cancelled = await post(`/v1/buy-requests/${id}/cancellation`, { reason: 'bought elsewhere' }, brokerKey, { 'if-match': '1' });
    expect(cancelled.json()).toMatchObject({ id, streamRevision: 2 });
    expect((await post(`/v1/buy-requests/${id}/amendment`, { maxPriceBps: 7_000 }, brokerKey)).json()).toMatchObject({ statusCode: 409, code: 'BUY_REQUEST_NOT_OPEN' });
    expect(await typesOf(stream)).toEqual(['BuyRequestPlaced', 'BuyRequestAmended', 'BuyRequestCancelled']);
  });

  it('refuses a deal that does not fit the request with 409 BUY_REQUEST_MISMATCH, and one naming no request with 404; both write nothing', async () => {
    const buyRequestId = await placeRequest({ faceValueCents: '300000', creditTypes: ['prepaid_api'] });
    const listingId = await verifiedListing('1000000', 'fine_tuning');
    const logged = await loggedEventCount(database.url);

    const misfit = await openDeal(listingId, buyRequestId, '400000', '300000', {}, 'buyer-initech');
    const missing = await openDeal(listingId, randomUUID(), '100000', '50000');
    const quoted = await post('/v1/deals/quote', { listingId, buyerId: 'buyer-globex', faceValueCents: '100000', priceCents: '50000', commissionBps: 1_000, buyRequestId }, brokerKey);

    expect(misfit.statusCode).toBe(409);
    expect(misfit.json()).toEqual({
      statusCode: 409,
      code: 'BUY_REQUEST_MISMATCH',
      message: expect.any(String),
      details: { buyRequestId, reasons: ['buyer_differs', 'credit_type_not_accepted', 'price_above_ceiling', 'face_value_above_unfilled'] },
    });
    expect(missing.json()).toMatchObject({ statusCode: 404, code: 'BUY_REQUEST_NOT_FOUND' });
    expect(quoted.json()).toMatchObject({ statusCode: 409, code: 'BUY_REQUEST_MISMATCH', details: { reasons: ['credit_type_not_accepted'] } });
    // The global log did not move: nothing reserved, no deal, nothing on the request.
    expect(await loggedEventCount(database.url)).toBe(logged);
    expect(await typesOf(`listing-${listingId}`)).toEqual(['ListingSubmitted', 'ListingVerified']);
    expect(await typesOf(`buy-request-${buyRequestId}`)).toEqual(['BuyRequestPlaced']);
  });

  it('fills the request exactly once for a deal opened from it, also when the opening is retried or run again, and releases the fill when the deal is cancelled', async () => {
    const buyRequestId = await placeRequest();
    const listingId = await verifiedListing('1000000');
    const key = `open-${randomUUID()}`;

    const opened = await openDeal(listingId, buyRequestId, '400000', '240000', { 'idempotency-key': key });
    const retried = await openDeal(listingId, buyRequestId, '400000', '240000', { 'idempotency-key': key });
    expect(opened.statusCode).toBe(201);
    expect(retried.body).toBe(opened.body);
    const dealId = opened.json<{ id: string }>().id;
    const stream = `buy-request-${buyRequestId}`;
    await eventually(() => typesOf(stream), (types) => types.includes('BuyRequestFilled'));

    // What an instance that died after opening the deal but before storing its answer leaves behind: the retry runs it again.
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    await admin.query(
      `UPDATE idempotency_keys SET state = 'in_progress', response_status = NULL, response_body = NULL, response_content_type = NULL,
         completed_at = NULL, claimed_at = now() - interval '2 minutes'
       WHERE idempotency_key = $1`,
      [key],
    );
    await admin.end();
    const rerun = await openDeal(listingId, buyRequestId, '400000', '240000', { 'idempotency-key': key });
    expect(rerun.statusCode).toBe(201);
    expect(rerun.json()).toMatchObject({ id: dealId });

    // Whatever the process manager does next, by now it has had every chance to fill twice.
    await eventually(() => typesOf(`deal-${dealId}`), (types) => types.length > 0);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const fills = (await history(stream)).filter((event) => event.type === 'BuyRequestFilled');
    expect(fills).toHaveLength(1);
    expect(fills[0]!.data).toMatchObject({ dealId, faceValueCents: '400000', filledFaceValueCents: '400000' });
    expect((await typesOf(`listing-${listingId}`)).filter((type) => type === 'ListingReserved')).toHaveLength(1);

    expect((await post(`/v1/deals/${dealId}/cancellation`, { reason: 'buyer walked away' }, brokerKey)).statusCode).toBe(200);
    const released = await eventually(() => history(stream), (events) => events.some((event) => event.type === 'BuyRequestFillReleased'));

    expect(released.map((event) => event.type)).toEqual(['BuyRequestPlaced', 'BuyRequestFilled', 'BuyRequestFillReleased']);
    expect(released[2]!.data).toMatchObject({ dealId, faceValueCents: '400000', filledFaceValueCents: '0' });
    expect(released[2]!.metadata).toMatchObject({ actorRole: 'system' });
  });

  it('cuts the fill when the deal’s terms are amended to a smaller face value: a filled request is open again for the difference', async () => {
    const buyRequestId = await placeRequest({ faceValueCents: '400000' });
    const listingId = await verifiedListing('1000000');
    const opened = await openDeal(listingId, buyRequestId, '400000', '240000');
    expect(opened.statusCode).toBe(201);
    const dealId = opened.json<{ id: string }>().id;
    const stream = `buy-request-${buyRequestId}`;
    await eventually(() => typesOf(stream), (types) => types.includes('BuyRequestFilled'));

    expect((await post(`/v1/deals/${dealId}/terms`, { faceValueCents: '300000', priceCents: '180000' }, brokerKey)).statusCode).toBe(200);
    const reduced = await eventually(() => history(stream), (events) => events.some((event) => event.type === 'BuyRequestFillReduced'));

    expect(reduced.map((event) => event.type)).toEqual(['BuyRequestPlaced', 'BuyRequestFilled', 'BuyRequestFillReduced']);
    expect(reduced[2]!.data).toMatchObject({ dealId, faceValueCents: '300000', releasedFaceValueCents: '100000', filledFaceValueCents: '300000' });
    expect(reduced[2]!.metadata).toMatchObject({ actorRole: 'system' });
  });

  it('never over-fills: of concurrent deals that together exceed the request, those past its face value are refused or cancelled', async () => {
    const buyRequestId = await placeRequest({ faceValueCents: '600000' });
    const listingId = await verifiedListing('2000000');
    const stream = `buy-request-${buyRequestId}`;

    const answers = await Promise.all(Array.from({ length: 5 }, () => openDeal(listingId, buyRequestId, '200000', '100000')));

    const opened = answers.filter((answer) => answer.statusCode === 201).map((answer) => answer.json<{ id: string }>().id);
    const refused = answers.filter((answer) => answer.statusCode !== 201);
    for (const answer of refused) expect(answer.json()).toMatchObject({ statusCode: 409, code: 'BUY_REQUEST_MISMATCH' });
    // Each opened deal ends up filling the request or cancelled for the refused fill.
    const settledDeals = async () => {
      const filledDeals = new Set((await history(stream)).filter((event) => event.type === 'BuyRequestFilled').map((event) => String(event.data.dealId)));
      const cancelled = new Set<string>();
      for (const dealId of opened) if ((await typesOf(`deal-${dealId}`)).includes('DealCancelled')) cancelled.add(dealId);
      return { filledDeals, cancelled };
    };
    const { filledDeals, cancelled } = await eventually(settledDeals, ({ filledDeals: filled, cancelled: gone }) => opened.every((id) => filled.has(id) || gone.has(id)));

    const events = await history(stream);
    for (const event of events.filter((candidate) => candidate.type === 'BuyRequestFilled')) expect(BigInt(String(event.data.filledFaceValueCents))).toBeLessThanOrEqual(600_000n);
    expect(filledDeals.size).toBe(3);
    expect(events.at(-1)!.data).toMatchObject({ filledFaceValueCents: '600000' });
    expect(cancelled.size).toBe(opened.length - 3);
    for (const dealId of cancelled) {
      expect(filledDeals.has(dealId)).toBe(false);
      const cancellation = (await history(`deal-${dealId}`)).find((event) => event.type === 'DealCancelled')!;
      expect(String(cancellation.data.reason)).toContain(`buy request ${buyRequestId} refused this deal's fill`);
    }
    // Cancelled deals gave their reservations back: only the three fills stay reserved.
    await eventually(
      () => typesOf(`listing-${listingId}`),
      (types) => types.filter((type) => type === 'ListingReservationReleased').length === cancelled.size,
    );
  });
});
