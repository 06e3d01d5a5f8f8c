/**
 * The books over HTTP on a real PostgreSQL: a deal taken to settlement is
 * projected into the journal; accounts, their entries, balances as of a
 * moment, pagination, and who may read what.
 */
import { randomUUID } from 'node:crypto';
import { readLedgerConfig } from '#configuration';
import { createTestDatabase, type TestDatabase } from '#testing';
import { startLedgerApi, type RunningLedgerApi } from '../apps/ledger-api/src/ledger-api.js';

const ADMIN_KEY = 'test-admin-key-ledger-0123456789abcdef';
const CREDITS_EXPIRE_AT = '2030-06-01T00:00:00.000Z';

interface Answer {
  readonly statusCode: number;
  readonly body: string;
  json<T = Record<string, unknown>>(): T;
}

interface Page<Item> {
  readonly items: Item[];
  readonly nextCursor: string | null;
}

interface JournalEntry {
  readonly id: string;
  readonly dealId: string;
  readonly kind: string;
  readonly postings: Array<{ account: string; amountCents: string }>;
}

describe('the books over HTTP', () => {
  let api: RunningLedgerApi;
  let database: TestDatabase;
  let brokerKey: string;
  let otherBrokerKey: string;
  let complianceKey: string;
  let dashboardKey: string;
  const buyerId = `buyer-${randomUUID().slice(0, 8)}`;
  let settledDealId: string;
  let otherDealId: string;

  const post = (url: string, payload: unknown, key: string): Promise<Answer> =>
    api.app.inject({ method: 'POST', url, payload: payload as object, headers: { authorization: `Bearer ${key}` } }) as Promise<Answer>;
  const get = (url: string, key: string): Promise<Answer> => api.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${key}` } }) as Promise<Answer>;
  const ok = async (response: Promise<Answer>): Promise<Answer> => {
    const answer = await response;
    if (answer.statusCode >= 300) throw new Error(`${answer.statusCode}: ${answer.body}`);
    return answer;
  };
  const issueKey = async (principalId: string, role: string): Promise<string> => (await ok(post('/v1/admin/api-keys', { role, principalId }, ADMIN_KEY))).json<{ key: string }>().key;
  const eventually = async <T>(read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 10_000): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await read();
      if (accept(value)) return value;
      if (Date.now() > deadline) throw new Error(`not reached in ${timeoutMs} ms: ${JSON.stringify(value)}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };

  async function openDeal(key: string): Promise<string> {
    const listing = await ok(
      post(
        '/v1/listings',
        { sellerId: 'seller-acme', provider: 'openai', creditType: 'prepaid_api', providerOrgRef: 'org-acme-1', faceValueCents: '1000000', currency: 'USD', creditExpiresAt: CREDITS_EXPIRE_AT, askPriceCents: '600000' },
        key,
      ),
    );
    const listingId = listing.json<{ id: string }>().id;
    await ok(
      post(
        `/v1/listings/${listingId}/verification`,
        { verifiedFaceValueCents: '1000000', verifiedExpiresAt: CREDITS_EXPIRE_AT, evidence: { method: 'provider_dashboard', reference: 'shot-1', checkedAt: '2026-11-20T09:00:00Z' } },
        key,
      ),
    );
    const deal = await ok(post('/v1/deals', { listingId, buyerId, faceValueCents: '400000', priceCents: '250000', commissionBps: 1_000 }, key));
    const dealId = deal.json<{ id: string }>().id;
    for (const party of ['seller', 'buyer']) await ok(post(`/v1/deals/${dealId}/approvals`, { party, termsVersion: 1 }, key));
    return dealId;
  }

  const journalOf = (dealId: string, key = complianceKey) => get(`/v1/ledger/journal?dealId=${dealId}`, key);
  const accountUrl = (account: string) => `/v1/ledger/accounts/${encodeURIComponent(account)}`;

  beforeAll(async () => {
    database = await createTestDatabase([]);
    api = await startLedgerApi(readLedgerConfig({ DATABASE_URL: database.url, PORT: '0', LEDGER_ADMIN_KEY: ADMIN_KEY, LEDGER_RATE_LIMIT_PER_MINUTE: '100000' }));
    brokerKey = await issueKey('broker-ana', 'broker');
    otherBrokerKey = await issueKey('broker-ben', 'broker');
    complianceKey = await issueKey('compliance-cy', 'compliance');
    dashboardKey = await issueKey('dashboard-di', 'dashboard');

    settledDealId = await openDeal(brokerKey);
    const dealUrl = `/v1/deals/${settledDealId}`;
    await ok(post(`${dealUrl}/payments`, { amountCents: '100000', paymentRef: 'wire-1' }, brokerKey));
    await ok(post(`${dealUrl}/payments`, { amountCents: '150000', paymentRef: 'wire-2' }, brokerKey));
    await ok(post(`${dealUrl}/transfer`, { mechanism: 'organization_membership', reference: 'invite-1' }, brokerKey));
    await ok(post(`${dealUrl}/transfer/confirmation`, { confirmedFaceValueCents: '400000', evidence: { method: 'console', reference: 'member-added' } }, brokerKey));
    await ok(post(`${dealUrl}/payout`, { payoutRef: 'payout-1' }, brokerKey));
    otherDealId = await openDeal(otherBrokerKey);

    await eventually(
      () => journalOf(settledDealId),
      (answer) => answer.statusCode === 200 && answer.json<Page<JournalEntry>>().items.length === 6,
    );
    await eventually(
      () => journalOf(otherDealId),
      (answer) => answer.statusCode === 200 && answer.json<Page<JournalEntry>>().items.length === 1,
    );
    // Broker scoping reads the deal view, a projection of its own.
    await eventually(
      () => journalOf(otherDealId, otherBrokerKey),
      (answer) => answer.statusCode === 200,
    );
  });

  afterAll(async () => {
    await api?.close();
    await database?.drop();
  });

  it('answers the journal of a deal in log order, each entry balanced', async () => {
    const page = (await journalOf(settledDealId, brokerKey)).json<Page<JournalEntry>>();
    expect(page.items.map((entry) => entry.kind)).toEqual(['credits_reserved', 'buyer_payment', 'buyer_payment', 'credits_delivered', 'escrow_released', 'seller_payout']);
    expect(page.nextCursor).toBeNull();
    for (const entry of page.items) {
      expect(entry).toMatchObject({ id: expect.stringMatching(/^[0-9a-f-]{36}:\d$/), dealId: settledDealId, currency: 'USD' });
      expect(entry.postings.reduce((sum, posting) => sum + BigInt(posting.amountCents), 0n)).toBe(0n);
    }
    expect(page.items[4]!.postings).toEqual([
      { account: `escrow:buyer:${buyerId}`, amountCents: '250000' },
      { account: 'payable:seller:seller-acme', amountCents: '-225000' },
      { account: 'revenue:commission', amountCents: '-25000' },
    ]);

    const first = (await get(`/v1/ledger/journal?dealId=${settledDealId}&limit=4`, complianceKey)).json<Page<JournalEntry>>();
    expect(first.items).toHaveLength(4);
    const rest = (await get(`/v1/ledger/journal?dealId=${settledDealId}&limit=4&cursor=${first.nextCursor}`, complianceKey)).json<Page<JournalEntry>>();
    expect([...first.items, ...rest.items]).toEqual(page.items);
    expect(rest.nextCursor).toBeNull();
  });

  it('shows a broker the journal of the deals it brokers only', async () => {
    expect((await journalOf(otherDealId, brokerKey)).json()).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
    expect((await journalOf(settledDealId, otherBrokerKey)).statusCode).toBe(404);
    const own = (await get('/v1/ledger/journal?limit=200', otherBrokerKey)).json<Page<JournalEntry>>();
    expect(new Set(own.items.map((entry) => entry.dealId))).toEqual(new Set([otherDealId]));
    const all = (await get('/v1/ledger/journal?limit=200', dashboardKey)).json<Page<JournalEntry>>();
    expect(new Set(all.items.map((entry) => entry.dealId))).toEqual(new Set([settledDealId, otherDealId]));
    for (const url of ['/v1/ledger/accounts', accountUrl('cash'), `${accountUrl('cash')}/entries`]) {
      expect((await get(url, brokerKey)).json()).toMatchObject({ statusCode: 403, code: 'FORBIDDEN' });
    }
  });

  it('lists balances page by page, and they sum to zero', async () => {
    const balances: Array<{ account: string; currency: string; balanceCents: string }> = [];
    let cursor: string | null = null;
    do {
      const answer = await get(`/v1/ledger/accounts?limit=3${cursor === null ? '' : `&cursor=${cursor}`}`, complianceKey);
      expect(answer.statusCode).toBe(200);
      const page = answer.json<Page<{ account: string; currency: string; balanceCents: string }>>();
      expect(page.items.length).toBeLessThanOrEqual(3);
      balances.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(balances.map((balance) => balance.account)).toEqual([...balances.map((balance) => balance.account)].sort());
    expect(balances.reduce((sum, balance) => sum + BigInt(balance.balanceCents), 0n)).toBe(0n);
    expect(balances).toEqual(
      expect.arrayContaining([
        { account: `escrow:buyer:${buyerId}`, currency: 'USD', balanceCents: '0' },
        { account: 'payable:seller:seller-acme', currency: 'USD', balanceCents: '0' },
        { account: 'cash', currency: 'USD', balanceCents: '25000' },
        { account: 'revenue:commission', currency: 'USD', balanceCents: '-25000' },
      ]),
    );
  });

  it('answers an account\'s postings in log order and its balance as of a moment', async () => {
    const escrow = `escrow:buyer:${buyerId}`;
    const entries = (await get(`${accountUrl(escrow)}/entries?limit=2`, dashboardKey)).json<Page<{ entryId: string; kind: string; amountCents: string; recordedAt: string }>>();
    expect(entries.items.map((posting) => [posting.kind, posting.amountCents])).toEqual([
      ['buyer_payment', '-100000'],
      ['buyer_payment', '-150000'],
    ]);
    const more = (await get(`${accountUrl(escrow)}/entries?limit=2&cursor=${entries.nextCursor}`, dashboardKey)).json<Page<{ kind: string; amountCents: string }>>();
    expect(more.items.map((posting) => [posting.kind, posting.amountCents])).toEqual([['escrow_released', '250000']]);
    expect(more.nextCursor).toBeNull();

    const [firstPayment, secondPayment] = entries.items.map((posting) => new Date(posting.recordedAt));
    const asOf = async (moment: Date | null) =>
      (await get(`${accountUrl(escrow)}${moment === null ? '' : `?asOf=${moment.toISOString()}`}`, complianceKey)).json<{ account: string; asOf: string | null; balances: Array<{ currency: string; balanceCents: string }> }>();
    expect(await asOf(new Date(firstPayment!.getTime() - 1))).toMatchObject({ account: escrow, balances: [{ currency: 'USD', balanceCents: '0' }] });
    expect(await asOf(firstPayment!)).toMatchObject({ asOf: firstPayment!.toISOString(), balances: [{ currency: 'USD', balanceCents: '-100000' }] });
    expect(await asOf(secondPayment!)).toMatchObject({ balances: [{ currency: 'USD', balanceCents: '-250000' }] });
    expect(await asOf(null)).toEqual({ account: escrow, asOf: null, balances: [{ currency: 'USD', balanceCents: '0' }] });
  });

  it('refuses what it cannot answer', async () => {
    expect((await get(accountUrl('escrow:buyer:nobody'), complianceKey)).json()).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
    expect((await get(`${accountUrl('escrow:buyer:nobody')}/entries`, complianceKey)).statusCode).toBe(404);
    for (const url of [
      '/v1/ledger/accounts?cursor=not-a-cursor!',
      `/v1/ledger/accounts?cursor=${Buffer.from('{"a":1}').toString('base64url')}`,
      '/v1/ledger/journal?cursor=bm9wZQ',
      `${accountUrl('cash')}/entries?cursor=${Buffer.from('["1.2",-1]').toString('base64url')}`,
      '/v1/ledger/accounts?limit=201',
      '/v1/ledger/accounts?limit=0',
      '/v1/ledger/journal?dealId=not-a-uuid',
      `${accountUrl('cash')}?asOf=yesterday`,
    ]) {
      expect([url, (await get(url, complianceKey)).json()]).toEqual([url, expect.objectContaining({ statusCode: 400, code: 'VALIDATION_FAILED' })]);
    }
  });
});
