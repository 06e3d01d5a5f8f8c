/**
 * Object-level access (OWASP API1) over HTTP on a real PostgreSQL: a broker
 * sees and acts only on the deals it brokers, and another broker's deal
 * answers byte for byte as a missing one, on every route that names a deal;
 * listings and buy requests are shared, but only their submitter (or an
 * admin) changes them; an admin hands a deal to another broker, as a
 * recorded fact, after which the old broker gets 404 and the new one the
 * deal, its history and its books.
 */
import { randomUUID } from 'node:crypto';
import { readLedgerConfig } from '#configuration';
import type { RecordedEvent } from '#event-store';
import { createTestDatabase, type TestDatabase } from '#testing';
import { startLedgerApi, type RunningLedgerApi } from '../apps/ledger-api/src/ledger-api.js';

const ADMIN_KEY = 'test-admin-key-object-access-0123456789';
const CREDITS_EXPIRE_AT = '2030-06-01T00:00:00.000Z';

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

/** A valid body for every command route on an existing deal: validation comes first, so the 404 is reached. */
const DEAL_COMMANDS: ReadonlyArray<readonly [string, object]> = [
  ['terms', { priceCents: '61000' }],
  ['approvals', { party: 'seller', termsVersion: 1 }],
  ['rejections', { party: 'buyer', reason: 'the buyer changed its mind' }],
  ['payments', { amountCents: '1000', paymentRef: 'wire-1' }],
  ['transfer', { mechanism: 'organization_membership', reference: 'org-invite-1' }],
  ['transfer/confirmation', { confirmedFaceValueCents: '100000', evidence: { method: 'provider_console', reference: 'member-added' } }],
  ['transfer/failure', { reason: 'the invitation bounced' }],
  ['payout', { payoutRef: 'payout-1' }],
  ['cancellation', { reason: 'the buyer walked away' }],
  ['disputes', { reason: 'the credits never arrived' }],
  ['disputes/resolution', { outcome: 'refund_buyer' }],
];

describe('object-level access over HTTP', () => {
  let api: RunningLedgerApi;
  let database: TestDatabase;
  let anaKey: string;
  let benKey: string;
  let complianceKey: string;

  const headersOf = (key: string, extra: Record<string, string> = {}): Record<string, string> => ({ authorization: `Bearer ${key}`, ...extra });
  const post = (url: string, payload: object, key: string, extra: Record<string, string> = {}): Promise<Answer> =>
    api.app.inject({ method: 'POST', url, payload, headers: headersOf(key, extra) }) as Promise<Answer>;
  const get = (url: string, key: string, minPosition?: string): Promise<Answer> =>
    api.app.inject({ method: 'GET', url, headers: headersOf(key, minPosition === undefined ? {} : { 'x-min-position': minPosition }) }) as Promise<Answer>;
  const command = async (url: string, payload: object, key: string): Promise<CommandAnswer> => {
    const answer = await post(url, payload, key);
    expect({ url, ok: answer.statusCode === 200 || answer.statusCode === 201, body: answer.body }).toEqual({ url, ok: true, body: expect.any(String) });
    return answer.json<CommandAnswer>();
  };
  const issueKey = async (principalId: string, role: string): Promise<string> => {
    const answer = await post('/v1/admin/api-keys', { role, principalId }, ADMIN_KEY);
    expect(answer.statusCode).toBe(201);
    return answer.json<{ key: string }>().key;
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

  const submitListing = (key: string): Promise<CommandAnswer> =>
    command(
      '/v1/listings',
      {
        sellerId: 'seller-acme',
        provider: 'openai',
        creditType: 'prepaid_api',
        providerOrgRef: 'org-acme-123',
        faceValueCents: '1000000',
        currency: 'USD',
        creditExpiresAt: CREDITS_EXPIRE_AT,
        askPriceCents: '600000',
      },
      key,
    );
  const verificationBody = {
    verifiedFaceValueCents: '1000000',
    verifiedExpiresAt: CREDITS_EXPIRE_AT,
    evidence: { method: 'provider_dashboard', reference: 'screenshot-42', checkedAt: '2026-11-20T09:00:00Z' },
  };
  const verifiedListing = async (key: string): Promise<string> => {
    const { id } = await submitListing(key);
    await command(`/v1/listings/${id}/verification`, verificationBody, key);
    return id;
  };
  const openDeal = async (key: string, listingId?: string): Promise<CommandAnswer> =>
    command('/v1/deals', { listingId: listingId ?? (await verifiedListing(key)), buyerId: 'buyer-globex', faceValueCents: '100000', priceCents: '60000', commissionBps: 1_000 }, key);
  const placeRequest = (key: string): Promise<CommandAnswer> =>
    command(
      '/v1/buy-requests',
      {
        buyerId: 'buyer-globex',
        provider: 'openai',
        creditTypes: ['prepaid_api'],
        faceValueCents: '1000000',
        maxPriceBps: 7_000,
        minValidityDays: 30,
        deadline: new Date(Date.now() + 30 * 86_400_000).toISOString(),
      },
      key,
    );

  /**
   * What a broker gets for `url` naming `hidden` (a deal it may not see) and
   * for the same url naming `missing` (no such deal): the statuses and the
   * bodies, the hidden id written as the missing one, must be identical.
   */
  async function expectAnsweredAsMissing(hidden: string, missing: string, ask: (id: string) => Promise<Answer>, statusCode = 404): Promise<Answer> {
    const forHidden = await ask(hidden);
    const forMissing = await ask(missing);
    expect(forHidden.statusCode).toBe(statusCode);
    expect({ statusCode: forHidden.statusCode, contentType: forHidden.headers['content-type'], body: forHidden.body.replaceAll(hidden, missing) }).toEqual({
      statusCode: forMissing.statusCode,
      contentType: forMissing.headers['content-type'],
      body: forMissing.body,
    });
    return forHidden;
  }

  /** As expectAnsweredAsMissing, for an answer that is not a refusal. */
  async function expectQuotedAsMissing(hidden: string, missing: string, ask: (id: string) => Promise<Answer>): Promise<void> {
    const forHidden = await ask(hidden);
    const forMissing = await ask(missing);
    expect(forHidden.statusCode).toBe(200);
    expect({ statusCode: forHidden.statusCode, body: forHidden.body.replaceAll(hidden, missing) }).toEqual({ statusCode: forMissing.statusCode, body: forMissing.body });
  }

  beforeAll(async () => {
    database = await createTestDatabase([]);
    api = await startLedgerApi(readLedgerConfig({ DATABASE_URL: database.url, PORT: '0', LEDGER_ADMIN_KEY: ADMIN_KEY, LEDGER_RATE_LIMIT_PER_MINUTE: '100000' }));
    anaKey = await issueKey('broker-ana', 'broker');
    benKey = await issueKey('broker-ben', 'broker');
    complianceKey = await issueKey('compliance-cy', 'compliance');
  });

  afterAll(async () => {
    await api?.close();
    await database?.drop();
  });

  describe("another broker's deal answers exactly as a missing one", () => {
    it('on every command route on a deal, with and without If-Match, and records nothing', async () => {
      const anas = await openDeal(anaKey);
      const missing = randomUUID();
      const before = await streamOf(`deal-${anas.id}`);

      for (const [route, body] of DEAL_COMMANDS) {
        const answer = await expectAnsweredAsMissing(anas.id, missing, (id) => post(`/v1/deals/${id}/${route}`, body, benKey));
        expect(answer.json()).toMatchObject({ statusCode: 404, code: 'DEAL_NOT_FOUND' });
        // With If-Match a missing deal is a conflict (the stream is not at that revision), and so is a hidden one;
        // new terms are completed from the deal before any revision is compared, so they stay a 404.
        const withIfMatch = await expectAnsweredAsMissing(anas.id, missing, (id) => post(`/v1/deals/${id}/${route}`, body, benKey, { 'if-match': '0' }), route === 'terms' ? 404 : 409);
        if (route !== 'terms') expect(withIfMatch.json()).toMatchObject({ code: 'CONCURRENCY_CONFLICT', details: { expectedRevision: '0', actualRevision: 'no_stream' } });
      }

      expect(await streamOf(`deal-${anas.id}`)).toEqual(before);
      // The deal's own broker still reaches it, so the 404s above were about who asked.
      expect((await post(`/v1/deals/${anas.id}/approvals`, { party: 'seller', termsVersion: 1 }, anaKey)).statusCode).toBe(200);
    });

    it('on GET /v1/deals/:id, with and without asOf, in the list, and in the journal of the ledger', async () => {
      const anas = await openDeal(anaKey);
      const missing = randomUUID();
      const asOf = new Date(Date.now() + 60_000).toISOString();

      await expectAnsweredAsMissing(anas.id, missing, (id) => get(`/v1/deals/${id}`, benKey, anas.position));
      await expectAnsweredAsMissing(anas.id, missing, (id) => get(`/v1/deals/${id}?asOf=${asOf}`, benKey));
      await expectAnsweredAsMissing(anas.id, missing, (id) => get(`/v1/ledger/journal?dealId=${id}`, benKey));
      const bensList = await get('/v1/deals?limit=100', benKey, anas.position);
      expect(bensList.json<{ items: Array<{ id: string }> }>().items.map((deal) => deal.id)).not.toContain(anas.id);

      expect((await get(`/v1/deals/${anas.id}`, anaKey, anas.position)).json()).toMatchObject({ id: anas.id, brokerId: 'broker-ana' });
      expect((await get(`/v1/deals/${anas.id}?asOf=${asOf}`, anaKey)).json()).toMatchObject({ id: anas.id, brokerId: 'broker-ana' });
      await eventually(
        () => get(`/v1/ledger/journal?dealId=${anas.id}`, anaKey),
        (answer) => answer.statusCode === 200,
      );
    });

    it('keeps the deal timeline of the audit routes from brokers', async () => {
      const anas = await openDeal(anaKey);
      for (const key of [anaKey, benKey]) expect((await get(`/v1/audit/deals/${anas.id}/timeline`, key)).json()).toMatchObject({ statusCode: 403, code: 'FORBIDDEN' });
      expect((await get(`/v1/audit/deals/${anas.id}/timeline`, complianceKey)).statusCode).toBe(200);
    });

    it("refuses to open a deal under another broker's deal id before reserving anything, and tells nothing of it", async () => {
      const listingId = await verifiedListing(anaKey);
      const anas = await openDeal(anaKey, listingId);
      const listingBefore = await streamOf(`listing-${listingId}`);
      const sameTerms = { id: anas.id, listingId, buyerId: 'buyer-globex', faceValueCents: '100000', priceCents: '60000', commissionBps: 1_000 };

      for (const body of [sameTerms, { ...sameTerms, faceValueCents: '200000' }]) {
        const answer = await post('/v1/deals', body, benKey);
        expect(answer.json()).toEqual({ statusCode: 409, code: 'DEAL_ALREADY_EXISTS', message: `deal ${anas.id} already exists`, details: { dealId: anas.id } });
      }
      expect(await streamOf(`listing-${listingId}`)).toEqual(listingBefore);
      // The quote names no deal: under that id it answers as under a missing one, not with the deal's reservation.
      const otherTerms = { ...sameTerms, faceValueCents: '200000' };
      await expectQuotedAsMissing(anas.id, randomUUID(), (id) => post('/v1/deals/quote', { ...otherTerms, id }, benKey));
      // Its own broker repeating the opening gets the deal back, as before.
      expect((await post('/v1/deals', sameTerms, anaKey)).json()).toMatchObject({ id: anas.id, streamRevision: 0 });
    });
  });

  describe('listings: a shared board, changed only by their submitter or an admin', () => {
    it("refuses another broker's verification, verification failure, repricing and withdrawal with 403 NOT_LISTING_OWNER, and records nothing", async () => {
      const submitted = await submitListing(anaKey);
      const url = `/v1/listings/${submitted.id}`;
      for (const [route, body] of [
        ['verification', verificationBody],
        ['verification-failure', { reason: 'no such organisation' }],
        ['price', { askPriceCents: '500000' }],
        ['withdrawal', { reason: 'not mine to withdraw' }],
      ] as const) {
        const answer = await post(`${url}/${route}`, body, benKey);
        expect({ route, body: answer.json() }).toEqual({
          route,
          body: { statusCode: 403, code: 'NOT_LISTING_OWNER', message: expect.stringContaining(submitted.id), details: { listingId: submitted.id } },
        });
      }
      expect(await typesOf(`listing-${submitted.id}`)).toEqual(['ListingSubmitted']);

      // The submitter verifies, an admin reprices, and anyone may read the listing and see who manages it.
      await command(`${url}/verification`, verificationBody, anaKey);
      const repriced = await command(`${url}/price`, { askPriceCents: '550000' }, ADMIN_KEY);
      expect(await typesOf(`listing-${submitted.id}`)).toEqual(['ListingSubmitted', 'ListingVerified', 'ListingRepriced']);
      expect((await streamOf(`listing-${submitted.id}`))[0]!.data).toMatchObject({ submittedBy: 'broker-ana' });
      expect((await get(url, benKey, repriced.position)).json()).toMatchObject({ id: submitted.id, submittedBy: 'broker-ana', askPriceCents: '550000' });
    });

    it("lets every broker open a deal on another broker's listing, and the process manager release it when that deal ends", async () => {
      const listingId = await verifiedListing(anaKey);
      const bens = await openDeal(benKey, listingId);
      await command(`/v1/deals/${bens.id}/cancellation`, { reason: 'the buyer walked away' }, benKey);
      await eventually(
        () => typesOf(`listing-${listingId}`),
        (types) => types.includes('ListingReservationReleased'),
      );
      const released = (await streamOf(`listing-${listingId}`)).at(-1)!;
      expect(released.metadata).toMatchObject({ actorRole: 'system' });
    });

    it('leaves a listing recorded before submitters were to an admin alone', async () => {
      const listingId = randomUUID();
      const now = new Date().toISOString();
      await api.store.append(
        `listing-${listingId}`,
        [
          {
            id: randomUUID(),
            type: 'ListingSubmitted',
            data: {
              listingId,
              sellerId: 'seller-acme',
              provider: 'openai',
              creditType: 'prepaid_api',
              providerOrgRef: 'org-acme-123',
              currency: 'USD',
              claimedFaceValueCents: '1000000',
              creditExpiresAt: CREDITS_EXPIRE_AT,
              askPriceCents: '600000',
              submittedAt: now,
            },
            metadata: { actorId: 'broker-ana', actorRole: 'broker', correlationId: randomUUID(), causationId: randomUUID(), occurredAt: now, schemaVersion: 1 },
          },
        ],
        'no_stream',
      );

      expect((await post(`/v1/listings/${listingId}/verification`, verificationBody, anaKey)).json()).toMatchObject({ statusCode: 403, code: 'NOT_LISTING_OWNER' });
      const verified = await command(`/v1/listings/${listingId}/verification`, verificationBody, ADMIN_KEY);
      expect((await get(`/v1/listings/${listingId}`, anaKey, verified.position)).json()).toMatchObject({ status: 'available', submittedBy: null });
    });
  });

  describe('buy requests: shared for reading and filling, changed only by their placer or an admin', () => {
    it("refuses another broker's amendment and cancellation with 403 NOT_BUY_REQUEST_OWNER, and records nothing", async () => {
      const placed = await placeRequest(anaKey);
      const url = `/v1/buy-requests/${placed.id}`;
      const amended = await post(`${url}/amendment`, { maxPriceBps: 6_500 }, benKey);
      const cancelled = await post(`${url}/cancellation`, { reason: 'not mine' }, benKey);
      for (const answer of [amended, cancelled]) {
        expect(answer.json()).toEqual({ statusCode: 403, code: 'NOT_BUY_REQUEST_OWNER', message: expect.stringContaining(placed.id), details: { buyRequestId: placed.id } });
      }
      expect(await typesOf(`buy-request-${placed.id}`)).toEqual(['BuyRequestPlaced']);

      // Another broker reads it and its matches, and fills it with a deal: that is how matches are made.
      const listingId = await verifiedListing(benKey);
      expect((await get(url, benKey, placed.position)).json()).toMatchObject({ id: placed.id, placedBy: 'broker-ana' });
      expect((await get(`${url}/matches`, benKey, placed.position)).statusCode).toBe(200);
      const bens = await command(
        '/v1/deals',
        { listingId, buyRequestId: placed.id, buyerId: 'buyer-globex', faceValueCents: '100000', priceCents: '60000', commissionBps: 1_000 },
        benKey,
      );
      await eventually(
        () => typesOf(`buy-request-${placed.id}`),
        (types) => types.includes('BuyRequestFilled'),
      );
      expect((await streamOf(`deal-${bens.id}`))[0]!.data).toMatchObject({ brokerId: 'broker-ben', buyRequestId: placed.id });

      // Its placer amends it, and an admin may cancel it.
      await command(`${url}/amendment`, { maxPriceBps: 6_500 }, anaKey);
      await command(`${url}/cancellation`, { reason: 'bought elsewhere' }, ADMIN_KEY);
      expect(await typesOf(`buy-request-${placed.id}`)).toEqual(['BuyRequestPlaced', 'BuyRequestFilled', 'BuyRequestAmended', 'BuyRequestCancelled']);
    });
  });

  describe('POST /v1/deals/:id/broker: an admin hands a deal to another broker', () => {
    it('records DealBrokerReassigned; then the old broker gets 404 everywhere and the new one the deal, its history and its books', async () => {
      const listingId = await verifiedListing(anaKey);
      const deal = await openDeal(anaKey, listingId);
      const beforeReassignment = (await streamOf(`deal-${deal.id}`))[0]!.recordedAt.toISOString();

      const reassigned = await post(`/v1/deals/${deal.id}/broker`, { brokerId: 'broker-ben' }, ADMIN_KEY, { 'if-match': '0' });

      expect(reassigned.statusCode).toBe(200);
      expect(reassigned.json()).toEqual({ id: deal.id, streamRevision: 1, position: expect.stringMatching(/^\d+\.\d+$/) });
      const [, fact] = await streamOf(`deal-${deal.id}`);
      expect(fact).toMatchObject({
        type: 'DealBrokerReassigned',
        data: { dealId: deal.id, fromBrokerId: 'broker-ana', toBrokerId: 'broker-ben', reassignedAt: expect.any(String) },
        metadata: { actorId: 'admin', actorRole: 'admin' },
      });
      const position = reassigned.json<CommandAnswer>().position;

      // The old broker: the deal is gone, on every route, exactly as a missing one.
      const missing = randomUUID();
      await expectAnsweredAsMissing(deal.id, missing, (id) => get(`/v1/deals/${id}`, anaKey, position));
      await expectAnsweredAsMissing(deal.id, missing, (id) => get(`/v1/deals/${id}?asOf=${beforeReassignment}`, anaKey));
      await expectAnsweredAsMissing(deal.id, missing, (id) => post(`/v1/deals/${id}/approvals`, { party: 'seller', termsVersion: 1 }, anaKey));
      await eventually(
        () => get(`/v1/ledger/journal?dealId=${deal.id}`, anaKey),
        (answer) => answer.statusCode === 404,
      );
      expect((await get('/v1/deals?limit=100', anaKey, position)).json<{ items: Array<{ id: string }> }>().items.map((item) => item.id)).not.toContain(deal.id);

      // The new broker: the deal now, its whole history (brokered by ana then), its journal, and its commands.
      expect((await get(`/v1/deals/${deal.id}`, benKey, position)).json()).toMatchObject({ id: deal.id, brokerId: 'broker-ben', streamRevision: 1 });
      expect((await get(`/v1/deals/${deal.id}?asOf=${beforeReassignment}`, benKey)).json()).toMatchObject({ id: deal.id, brokerId: 'broker-ana', streamRevision: 0 });
      expect((await get('/v1/deals?brokerId=broker-ben&limit=100', benKey, position)).json<{ items: Array<{ id: string }> }>().items.map((item) => item.id)).toContain(deal.id);
      await eventually(
        () => get(`/v1/ledger/journal?dealId=${deal.id}`, benKey),
        (answer) => answer.statusCode === 200 && answer.json<{ items: unknown[] }>().items.length > 0,
      );
      await command(`/v1/deals/${deal.id}/cancellation`, { reason: 'the buyer walked away' }, benKey);

      // Compliance sees the hand-over in the deal's timeline, and the books and the listing carry on: the
      // reservation process manager releases the reservation of the deal the new broker cancelled.
      const timeline = await get(`/v1/audit/deals/${deal.id}/timeline`, complianceKey);
      expect(timeline.json<{ items: Array<{ type: string }> }>().items.map((item) => item.type)).toEqual(
        expect.arrayContaining(['ListingReserved', 'DealOpened', 'DealBrokerReassigned', 'DealCancelled']),
      );
      await eventually(
        () => typesOf(`listing-${listingId}`),
        (types) => types.includes('ListingReservationReleased'),
      );
    });

    it('refuses the broker the deal has, a closed deal, a missing deal and a malformed body, recording nothing', async () => {
      const deal = await openDeal(anaKey);
      const closed = await openDeal(anaKey);
      await command(`/v1/deals/${closed.id}/cancellation`, { reason: 'the buyer walked away' }, anaKey);
      const missing = randomUUID();

      expect((await post(`/v1/deals/${deal.id}/broker`, { brokerId: 'broker-ana' }, ADMIN_KEY)).json()).toMatchObject({ statusCode: 409, code: 'DEAL_BROKER_UNCHANGED' });
      expect((await post(`/v1/deals/${closed.id}/broker`, { brokerId: 'broker-ben' }, ADMIN_KEY)).json()).toMatchObject({ statusCode: 409, code: 'DEAL_CLOSED' });
      expect((await post(`/v1/deals/${missing}/broker`, { brokerId: 'broker-ben' }, ADMIN_KEY)).json()).toMatchObject({ statusCode: 404, code: 'DEAL_NOT_FOUND' });
      for (const body of [{}, { brokerId: 'has spaces' }, { brokerId: 42 }, { brokerId: 'broker-ben', reason: 'unknown field' }]) {
        expect((await post(`/v1/deals/${deal.id}/broker`, body, ADMIN_KEY)).json()).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
      }
      expect((await post(`/v1/deals/${deal.id}/broker`, { brokerId: 'broker-ben' }, ADMIN_KEY, { 'if-match': '7' })).json()).toMatchObject({
        statusCode: 409,
        code: 'CONCURRENCY_CONFLICT',
      });

      expect(await typesOf(`deal-${deal.id}`)).toEqual(['DealOpened']);
      expect(await typesOf(`deal-${closed.id}`)).toEqual(['DealOpened', 'DealCancelled']);
      expect(await typesOf(`deal-${missing}`)).toEqual([]);
    });

    it('is for admins only: the brokers, its own included, and compliance are refused 403 and record nothing', async () => {
      const deal = await openDeal(anaKey);
      for (const key of [anaKey, benKey, complianceKey]) {
        expect((await post(`/v1/deals/${deal.id}/broker`, { brokerId: 'broker-ben' }, key)).json()).toMatchObject({ statusCode: 403, code: 'FORBIDDEN' });
      }
      expect(await typesOf(`deal-${deal.id}`)).toEqual(['DealOpened']);
    });
  });
});
