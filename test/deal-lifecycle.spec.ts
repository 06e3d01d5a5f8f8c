/**
 * The command API end to end, over HTTP on a real PostgreSQL: a deal from
 * listing to settlement, concurrent matching of one listing, idempotent
 * replays, If-Match, and who may do what.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { createLedgerApiClient } from '#api-client';
import { readLedgerConfig } from '#configuration';
import { decodeListingEvent, foldListingEvents } from '#domain';
import type { RecordedEvent } from '#event-store';
import { createTestDatabase, type TestDatabase } from '#testing';
import { startLedgerApi, type RunningLedgerApi } from '../apps/ledger-api/src/ledger-api.js';

const ADMIN_KEY = 'test-admin-key-0123456789abcdef';
const CREDITS_EXPIRE_AT = '2030-06-01T00:00:00.000Z';

interface Answer {
  readonly statusCode: number;
  readonly body: string;
  readonly headers: Record<string, unknown>;
  json<T = Record<string, unknown>>(): T;
}

describe('the deal lifecycle over HTTP', () => {
  let api: RunningLedgerApi;
  let database: TestDatabase;
  let brokerKey: string;
  let otherBrokerKey: string;
  let complianceKey: string;

  const post = (url: string, payload: unknown, key: string, headers: Record<string, string> = {}): Promise<Answer> =>
    api.app.inject({ method: 'POST', url, payload: payload as object, headers: { authorization: `Bearer ${key}`, ...headers } }) as Promise<Answer>;
  const issueKey = async (principalId: string, role: string): Promise<string> => {
    const response = await post('/v1/admin/api-keys', { role, principalId }, ADMIN_KEY);
    expect(response.statusCode).toBe(201);
    return response.json<{ key: string }>().key;
  };
  const streamOf = (stream: string): Promise<RecordedEvent[]> => api.store.readStream(stream);
  const typesOf = async (stream: string): Promise<string[]> => (await streamOf(stream)).map((event) => event.type);
  const eventually = async <T>(read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 10_000): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await read();
      if (accept(value)) return value;
      if (Date.now() > deadline) throw new Error(`not reached in ${timeoutMs} ms: ${JSON.stringify(value)}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };

  async function verifiedListing(faceValueCents: string, key = brokerKey): Promise<string> {
    const submitted = await post(
      '/v1/listings',
      {
        sellerId: 'seller-acme',
        provider: 'openai',
        creditType: 'prepaid_api',
        providerOrgRef: 'org-acme-123',
        faceValueCents,
        currency: 'USD',
        creditExpiresAt: CREDITS_EXPIRE_AT,
        askPriceCents: '600000',
      },
      key,
    );
    expect(submitted.statusCode).toBe(201);
    const { id } = submitted.json<{ id: string }>();
    const verified = await post(
      `/v1/listings/${id}/verification`,
      {
        verifiedFaceValueCents: faceValueCents,
        verifiedExpiresAt: CREDITS_EXPIRE_AT,
        evidence: { method: 'provider_dashboard', reference: 'screenshot-42', checkedAt: '2026-11-20T09:00:00Z' },
      },
      key,
    );
    expect(verified.statusCode).toBe(200);
    return id;
  }

  const openDeal = (listingId: string, faceValueCents: string, priceCents: string, key = brokerKey, headers: Record<string, string> = {}) =>
    post('/v1/deals', { listingId, buyerId: 'buyer-globex', faceValueCents, priceCents, commissionBps: 1_000 }, key, headers);

  beforeAll(async () => {
    database = await createTestDatabase([]);
    api = await startLedgerApi(readLedgerConfig({ DATABASE_URL: database.url, PORT: '0', LEDGER_ADMIN_KEY: ADMIN_KEY, LEDGER_RATE_LIMIT_PER_MINUTE: '100000' }));
    brokerKey = await issueKey('broker-ana', 'broker');
    otherBrokerKey = await issueKey('broker-ben', 'broker');
    complianceKey = await issueKey('compliance-cy', 'compliance');
  });

  afterAll(async () => {
    await api?.close();
    await database?.drop();
  });

  it('takes a deal from listing to settlement, and the reservation is sold when it settles (through the typed client)', async () => {
    // Over the network with the client generated from the OpenAPI document (#api-client): a route, parameter or
    // answer shape that changes on the server without `npm run openapi:client` fails this file's compilation.
    const broker = createLedgerApiClient({ baseUrl: api.url, apiKey: brokerKey });
    const listingId = await verifiedListing('1000000');

    const dealTerms = { listingId, buyerId: 'buyer-globex', faceValueCents: '400000', priceCents: '240000', commissionBps: 1_000 };
    const quote = await broker.POST('/v1/deals/quote', { body: dealTerms });
    expect(quote.response.status).toBe(200);
    expect(quote.data).toMatchObject({ discountBps: 4_000, commissionCents: '24000', payoutCents: '216000', currency: 'USD' });
    for (const entry of quote.data!.postings) {
      expect(entry.postings.reduce((sum, posting) => sum + BigInt(posting.amountCents), 0n)).toBe(0n);
    }
    expect(await typesOf(`listing-${listingId}`)).toEqual(['ListingSubmitted', 'ListingVerified']);

    const opened = await broker.POST('/v1/deals', { body: dealTerms, params: { header: { 'X-Correlation-Id': 'deal-flow-1' } } });
    expect(opened.response.status).toBe(201);
    const deal = opened.data!;
    expect(deal).toEqual({ id: expect.any(String), streamRevision: 0, position: expect.stringMatching(/^\d+\.\d+$/) });
    const path = { id: deal.id };
    const [dealOpened] = await streamOf(`deal-${deal.id}`);
    expect(dealOpened!.metadata).toMatchObject({ actorId: 'broker-ana', actorRole: 'broker', correlationId: 'deal-flow-1', schemaVersion: 1 });

    const amended = await broker.POST('/v1/deals/{id}/terms', { params: { path, header: { 'If-Match': String(deal.streamRevision) } }, body: { priceCents: '250000' } });
    expect(amended.response.status).toBe(200);
    const stale = await broker.POST('/v1/deals/{id}/approvals', { params: { path }, body: { party: 'seller', termsVersion: 1 } });
    expect(stale.response.status).toBe(409);
    expect(stale.error).toMatchObject({ code: 'DEAL_TERMS_VERSION_STALE' });
    const paidTooEarly = await broker.POST('/v1/deals/{id}/payments', { params: { path }, body: { amountCents: '250000', paymentRef: 'wire-0' } });
    expect(paidTooEarly.error).toMatchObject({ statusCode: 409, code: 'DEAL_NOT_APPROVED' });

    for (const party of ['seller', 'buyer'] as const) {
      const approved = await broker.POST('/v1/deals/{id}/approvals', { params: { path }, body: { party, termsVersion: 2, evidence: { method: 'email', reference: `${party}-ok` } } });
      expect(approved.response.status).toBe(200);
    }
    expect((await broker.POST('/v1/deals/{id}/payments', { params: { path }, body: { amountCents: '100000', paymentRef: 'wire-1' } })).response.status).toBe(200);
    const overpaid = await broker.POST('/v1/deals/{id}/payments', { params: { path }, body: { amountCents: '150001', paymentRef: 'wire-2' } });
    expect(overpaid.error).toMatchObject({ statusCode: 409, code: 'PAYMENT_EXCEEDS_PRICE' });
    expect((await broker.POST('/v1/deals/{id}/payments', { params: { path }, body: { amountCents: '150000', paymentRef: 'wire-2' } })).response.status).toBe(200);
    expect((await broker.POST('/v1/deals/{id}/transfer', { params: { path }, body: { mechanism: 'organization_membership', reference: 'org-invite-9' } })).response.status).toBe(200);
    const confirmed = await broker.POST('/v1/deals/{id}/transfer/confirmation', {
      params: { path },
      body: { confirmedFaceValueCents: '400000', evidence: { method: 'provider_console', reference: 'member-added' } },
    });
    expect(confirmed.response.status).toBe(200);
    const paidOut = await broker.POST('/v1/deals/{id}/payout', { params: { path }, body: { payoutRef: 'payout-7' } });
    expect(paidOut.response.status).toBe(200);

    const dealEvents = await streamOf(`deal-${deal.id}`);
    expect(dealEvents.map((event) => event.type)).toEqual([
      'DealOpened',
      'DealTermsAmended',
      'DealApproved',
      'DealApproved',
      'BuyerPaymentReceived',
      'BuyerPaymentReceived',
      'CreditTransferStarted',
      'CreditTransferConfirmed',
      'SellerPayoutIssued',
      'DealSettled',
    ]);
    expect(dealEvents.find((event) => event.type === 'SellerPayoutIssued')!.data).toMatchObject({ amountCents: '225000' });
    expect(paidOut.data).toMatchObject({ streamRevision: 9 });

    // Read your write: the settled deal as the read model holds it, once the projections have passed the payout.
    const settled = await broker.GET('/v1/deals/{id}', { params: { path, header: { 'X-Min-Position': paidOut.data!.position! } } });
    expect(settled.data).toMatchObject({ status: 'settled', paidCents: '250000', payoutCents: '225000', streamRevision: 9 });

    const listingEvents = await eventually(() => typesOf(`listing-${listingId}`), (types) => types.includes('ListingSold'));
    expect(listingEvents).toEqual(['ListingSubmitted', 'ListingVerified', 'ListingReserved', 'ListingSold']);
    const sold = (await streamOf(`listing-${listingId}`)).at(-1)!;
    // The sale follows from the settlement: caused by it, in the settling request's correlation.
    expect(sold.metadata).toMatchObject({ actorRole: 'system', causationId: dealEvents.at(-1)!.id, correlationId: dealEvents.at(-1)!.metadata.correlationId });
  });

  it('never over-sells: of 50 concurrent deals on one listing, exactly those that fit succeed', async () => {
    const listingId = await verifiedListing('1000000');

    const answers = await Promise.all(Array.from({ length: 50 }, () => openDeal(listingId, '150000', '90000')));

    const succeeded = answers.filter((answer) => answer.statusCode === 201);
    const refused = answers.filter((answer) => answer.statusCode !== 201);
    expect(succeeded).toHaveLength(6);
    expect(refused).toHaveLength(44);
    expect(new Set(refused.map((answer) => answer.json<{ code: string }>().code))).toEqual(new Set(['INSUFFICIENT_AVAILABLE_CREDITS']));
    const listing = foldListingEvents((await streamOf(`listing-${listingId}`)).map(decodeListingEvent));
    expect(listing).toMatchObject({ status: 'available', reservedFaceValueCents: 900_000n, availableFaceValueCents: 100_000n });
    for (const answer of succeeded) {
      expect(await typesOf(`deal-${answer.json<{ id: string }>().id}`)).toEqual(['DealOpened']);
    }
  });

  it('answers a repeated Idempotency-Key with the first answer, byte for byte, and records nothing twice', async () => {
    const listingId = await verifiedListing('500000');
    const key = `open-${randomUUID()}`;

    const answers = await Promise.all(Array.from({ length: 10 }, () => openDeal(listingId, '100000', '60000', brokerKey, { 'idempotency-key': key })));
    const later = await openDeal(listingId, '100000', '60000', brokerKey, { 'idempotency-key': key });
    const otherBody = await openDeal(listingId, '100001', '60000', brokerKey, { 'idempotency-key': key });

    const firsts = [...answers, later].filter((answer) => answer.statusCode === 201);
    expect(firsts).toHaveLength(11);
    expect(new Set(firsts.map((answer) => answer.body)).size).toBe(1);
    expect(later.headers['idempotent-replayed']).toBe('true');
    expect(otherBody.statusCode).toBe(409);
    expect(otherBody.json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    expect((await typesOf(`listing-${listingId}`)).filter((type) => type === 'ListingReserved')).toHaveLength(1);
  });

  it('runs a command again when its Idempotency-Key claim was abandoned, and records nothing twice', async () => {
    const key = `submit-${randomUUID()}`;
    const body = {
      sellerId: 'seller-acme',
      provider: 'openai',
      creditType: 'startup_program',
      providerOrgRef: 'org-acme-9',
      faceValueCents: '250000',
      currency: 'USD',
      creditExpiresAt: CREDITS_EXPIRE_AT,
      askPriceCents: '100000',
    };
    const first = await post('/v1/listings', body, brokerKey, { 'idempotency-key': key });
    expect(first.statusCode).toBe(201);
    // What an instance that died after recording the command but before storing its answer leaves behind.
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    await admin.query(
      `UPDATE idempotency_keys SET state = 'in_progress', response_status = NULL, response_body = NULL, response_content_type = NULL,
         completed_at = NULL, claimed_at = now() - interval '2 minutes'
       WHERE idempotency_key = $1`,
      [key],
    );
    await admin.end();

    const again = await post('/v1/listings', body, brokerKey, { 'idempotency-key': key });

    expect(again.statusCode).toBe(201);
    expect(again.body).toBe(first.body);
    expect(await typesOf(`listing-${first.json<{ id: string }>().id}`)).toEqual(['ListingSubmitted']);
  });

  it('refuses a stale If-Match with 409 CONCURRENCY_CONFLICT and writes nothing', async () => {
    const listingId = await verifiedListing('500000');
    const repriced = await post(`/v1/listings/${listingId}/price`, { askPriceCents: '450000' }, brokerKey, { 'if-match': '1' });
    expect(repriced.json()).toMatchObject({ streamRevision: 2 });

    const stale = await post(`/v1/listings/${listingId}/price`, { askPriceCents: '400000' }, brokerKey, { 'if-match': '1' });

    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ code: 'CONCURRENCY_CONFLICT' });
    expect(await typesOf(`listing-${listingId}`)).toEqual(['ListingSubmitted', 'ListingVerified', 'ListingRepriced']);
  });

  it("hides another broker's deal, keeps compliance away from commands, and names unknown fields", async () => {
    const listingId = await verifiedListing('500000');
    const { id } = (await openDeal(listingId, '100000', '60000')).json<{ id: string }>();

    const otherBroker = await post(`/v1/deals/${id}/cancellation`, { reason: 'not mine' }, otherBrokerKey);
    const compliance = await post(`/v1/deals/${id}/cancellation`, { reason: 'audit' }, complianceKey);
    const unknownField = await post(`/v1/deals/${id}/cancellation`, { reason: 'typo', reasn: 'x' }, brokerKey);
    const floatAmount = await post(`/v1/deals/${id}/payments`, { amountCents: 100.5, paymentRef: 'w' }, brokerKey);

    expect(otherBroker.statusCode).toBe(404);
    expect(otherBroker.json()).toMatchObject({ code: 'DEAL_NOT_FOUND' });
    expect(compliance.statusCode).toBe(403);
    expect(unknownField.statusCode).toBe(400);
    expect(unknownField.json()).toMatchObject({ code: 'VALIDATION_FAILED', details: { reasn: expect.any(String) } });
    expect(floatAmount.json()).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED', details: { amountCents: expect.any(String) } });
    expect(await typesOf(`deal-${id}`)).toEqual(['DealOpened']);
  });

  it('releases the reservation when a deal is rejected, so the credits can be matched again', async () => {
    const listingId = await verifiedListing('200000');
    const { id } = (await openDeal(listingId, '200000', '120000')).json<{ id: string }>();
    expect((await openDeal(listingId, '1', '1')).json()).toMatchObject({ code: 'INSUFFICIENT_AVAILABLE_CREDITS' });

    expect((await post(`/v1/deals/${id}/rejections`, { party: 'buyer', reason: 'price too high' }, brokerKey)).statusCode).toBe(200);
    await eventually(() => typesOf(`listing-${listingId}`), (types) => types.includes('ListingReservationReleased'));

    expect((await openDeal(listingId, '200000', '110000')).statusCode).toBe(201);
  });

  it('opens the deal of a reservation whose opener crashed before opening it', async () => {
    const listingId = await verifiedListing('300000');
    const dealId = randomUUID();
    // What a crash right after the reservation leaves behind: the fact on the listing, no deal.
    const listingEvents = await streamOf(`listing-${listingId}`);
    await api.store.append(
      `listing-${listingId}`,
      [
        {
          id: randomUUID(),
          type: 'ListingReserved',
          data: {
            listingId,
            dealId,
            faceValueCents: '100000',
            priceCents: '65000',
            match: { buyerId: 'buyer-initech', brokerId: 'broker-ana', commissionBps: 500 },
            reservedAt: new Date().toISOString(),
          },
          metadata: { actorId: 'broker-ana', actorRole: 'broker', correlationId: 'crashed-request', causationId: randomUUID(), occurredAt: new Date().toISOString(), schemaVersion: 1 },
        },
      ],
      listingEvents.at(-1)!.revision,
    );

    const opened = await eventually(() => streamOf(`deal-${dealId}`), (events) => events.length > 0);

    expect(opened.map((event) => event.type)).toEqual(['DealOpened']);
    expect(opened[0]!.data).toMatchObject({ listingId, buyerId: 'buyer-initech', brokerId: 'broker-ana', priceCents: '65000', commissionBps: 500 });
    expect(opened[0]!.metadata).toMatchObject({ actorRole: 'system', correlationId: 'crashed-request' });
  });
});
