/**
 * GET /v1/dashboard/summary end to end, over HTTP on a real PostgreSQL (a
 * database of this file's own, so every figure is exact): listings and deals
 * written through the command routes; the one fact no route records yet (an
 * expiry: the deadline worker is not built) appended to the store as the
 * worker would, the reservation's release then following through the
 * process manager. Read with X-Min-Position, never a sleep.
 * The API runs on an injected clock, the system clock shifted by
 * `clockShiftMs` (0 but in the test that moves it): the dashboard reads it.
 */
import { randomUUID } from 'node:crypto';
import { readLedgerConfig } from '#configuration';
import { encodeDealEvent, encodeListingEvent, type DealEvent, type ListingEvent } from '#domain';
import { formatPosition, type EventToAppend } from '#event-store';
import { createTestDatabase, type TestDatabase } from '#testing';
import { startLedgerApi, type RunningLedgerApi } from '../apps/ledger-api/src/ledger-api.js';

const ADMIN_KEY = 'test-admin-key-dashboard-0123456789';
const DAY_MS = 86_400_000;

interface Answer {
  readonly statusCode: number;
  readonly body: string;
  json<T = Record<string, unknown>>(): T;
}

interface CommandAnswer {
  readonly id: string;
  readonly position: string;
}

describe('the dashboard summary over HTTP', () => {
  let api: RunningLedgerApi;
  let database: TestDatabase;
  let anaKey: string;
  let benKey: string;
  let dashboardKey: string;
  let complianceKey: string;
  /** The last position written: reads wait for it. */
  let head = '0.0';
  const now = Date.now();
  const inDays = (days: number): string => new Date(now + days * DAY_MS).toISOString();
  let clockShiftMs = 0;

  const post = (url: string, payload: unknown, key: string): Promise<Answer> =>
    api.app.inject({ method: 'POST', url, payload: payload as object, headers: { authorization: `Bearer ${key}` } }) as Promise<Answer>;
  const summary = (key: string | null, minPosition: string | null = head): Promise<Answer> =>
    api.app.inject({
      method: 'GET',
      url: '/v1/dashboard/summary',
      headers: { ...(key === null ? {} : { authorization: `Bearer ${key}` }), ...(minPosition === null ? {} : { 'x-min-position': minPosition }) },
    }) as Promise<Answer>;
  /** The summary with query parameters `query` (pairs, so a parameter may be given twice). */
  const summaryWith = (query: ReadonlyArray<readonly [string, string]>, key = dashboardKey): Promise<Answer> =>
    api.app.inject({
      method: 'GET',
      url: `/v1/dashboard/summary?${new URLSearchParams(query.map(([name, value]): [string, string] => [name, value])).toString()}`,
      headers: { authorization: `Bearer ${key}`, 'x-min-position': head },
    }) as Promise<Answer>;
  const command = async (url: string, payload: unknown, key: string): Promise<CommandAnswer> => {
    const response = await post(url, payload, key);
    if (response.statusCode !== 200 && response.statusCode !== 201) throw new Error(`${url} answered ${response.statusCode}: ${response.body}`);
    const answer = response.json<CommandAnswer>();
    head = answer.position;
    return answer;
  };
  const issueKey = async (principalId: string, role: string): Promise<string> => {
    const response = await post('/v1/admin/api-keys', { role, principalId }, ADMIN_KEY);
    expect(response.statusCode).toBe(201);
    return response.json<{ key: string }>().key;
  };

  const listing = async (faceValueCents: string, expiresInDays: number, currency = 'USD', verify = true): Promise<string> => {
    const expiresAt = inDays(expiresInDays);
    const { id } = await command(
      '/v1/listings',
      { sellerId: 'seller-acme', provider: 'openai', creditType: 'prepaid_api', providerOrgRef: 'org-acme-1', faceValueCents, currency, creditExpiresAt: expiresAt, askPriceCents: '1000' },
      anaKey,
    );
    if (verify) {
      await command(
        `/v1/listings/${id}/verification`,
        { verifiedFaceValueCents: faceValueCents, verifiedExpiresAt: expiresAt, evidence: { method: 'provider_dashboard', reference: 'shot-1', checkedAt: new Date(now).toISOString() } },
        anaKey,
      );
    }
    return id;
  };
  const deal = async (key: string, listingId: string, faceValueCents: string, priceCents: string): Promise<string> =>
    (await command('/v1/deals', { listingId, buyerId: 'buyer-globex', faceValueCents, priceCents, commissionBps: 1_000 }, key)).id;
  const approve = async (key: string, dealId: string): Promise<void> => {
    for (const party of ['seller', 'buyer']) await command(`/v1/deals/${dealId}/approvals`, { party, termsVersion: 1 }, key);
  };
  const settle = async (key: string, dealId: string, priceCents: string, confirmedFaceValueCents: string): Promise<void> => {
    await approve(key, dealId);
    await command(`/v1/deals/${dealId}/payments`, { amountCents: priceCents, paymentRef: `wire-${dealId}` }, key);
    await command(`/v1/deals/${dealId}/transfer`, { mechanism: 'organization_membership', reference: 'invite-1' }, key);
    await command(`/v1/deals/${dealId}/transfer/confirmation`, { confirmedFaceValueCents, evidence: { method: 'provider_console', reference: 'member-added' } }, key);
    await command(`/v1/deals/${dealId}/payout`, { payoutRef: `payout-${dealId}` }, key);
  };
  /** Appends a fact as the deadline worker will, after the stream's last event. */
  const appendAsWorker = async (stream: string, encoded: { type: string; data: unknown }): Promise<void> => {
    const events = await api.store.readStream(stream);
    const event: EventToAppend = {
      id: randomUUID(),
      type: encoded.type,
      data: encoded.data as EventToAppend['data'],
      metadata: { actorId: 'expiry-worker', actorRole: 'system', correlationId: randomUUID(), causationId: null, occurredAt: new Date().toISOString(), schemaVersion: 1 },
    };
    const appended = await api.store.append(stream, [event], events.at(-1)!.revision);
    head = formatPosition(appended.position);
  };
  /** A timing figure of `samples` samples, its percentiles whole non-negative milliseconds (the times are the system clock's, so no exact value). */
  const wholeMilliseconds = (samples: number): unknown => {
    const whole = { asymmetricMatch: (value: unknown) => Number.isSafeInteger(value) && (value as number) >= 0, toString: () => 'whole milliseconds' };
    return { samples, medianMs: whole, p90Ms: whole };
  };
  const eventually = async (read: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    while (!(await read())) {
      if (Date.now() > deadline) throw new Error(`not reached in ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };

  beforeAll(async () => {
    database = await createTestDatabase([]);
    api = await startLedgerApi(readLedgerConfig({ DATABASE_URL: database.url, PORT: '0', LEDGER_ADMIN_KEY: ADMIN_KEY, LEDGER_RATE_LIMIT_PER_MINUTE: '100000' }), {
      readYourWritesTimeoutMs: 300,
      clock: () => new Date(Date.now() + clockShiftMs),
      // One test moves the clock 400 days ahead: an enforcer sweeping then would expire every deal.
      enforceDeadlines: false,
    });
    anaKey = await issueKey('broker-ana', 'broker');
    benKey = await issueKey('broker-ben', 'broker');
    dashboardKey = await issueKey('dash-1', 'dashboard');
    complianceKey = await issueKey('compliance-1', 'compliance');

    // Expiring windows: available listings only, by credit expiry after now.
    await listing('1000000', 5); // 7, 30, 90
    await listing('2000000', 20); // 30, 90
    await listing('3000000', 60, 'EUR'); // 90
    await listing('9000000', 5, 'USD', false); // submitted, not verified: never counted

    // A settled deal on credits expiring 40 days from now: rescued. The listing keeps 600,000 available (90 days).
    const near = await listing('1000000', 40);
    await settle(anaKey, await deal(anaKey, near, '400000', '240000'), '240000', '400000');
    // On credits expiring in 200 days: a settled deal that rescued nothing, and deals in play.
    const far = await listing('10000000', 200);
    await settle(anaKey, await deal(anaKey, far, '1000000', '500000'), '500000', '1000000');
    await deal(anaKey, far, '100000', '60000'); // awaiting approvals
    await approve(benKey, await deal(benKey, far, '200000', '150000')); // approved
    await command(`/v1/deals/${await deal(anaKey, far, '100000', '70000')}/cancellation`, { reason: 'buyer walked away' }, anaKey);

    // A listing that expires with 500,000 available, and then its deal expires on the credit expiry:
    // the reservation (300,000) is released into the expired part, so 800,000 is lost, counted once.
    const doomed = await listing('800000', 10);
    const doomedDeal = await deal(benKey, doomed, '300000', '100000');
    const listingExpired: ListingEvent = { type: 'ListingExpired', data: { listingId: doomed, expiredFaceValueCents: 500_000n, expiredAt: new Date() } };
    await appendAsWorker(`listing-${doomed}`, encodeListingEvent(listingExpired));
    const dealExpired: DealEvent = { type: 'DealExpired', data: { dealId: doomedDeal, deadline: 'credit_expiry', expiredAt: new Date() } };
    await appendAsWorker(`deal-${doomedDeal}`, encodeDealEvent(dealExpired));
    await eventually(async () => {
      const released = (await api.store.readStream(`listing-${doomed}`)).find((event) => event.type === 'ListingReservationReleased');
      if (released !== undefined) head = formatPosition(released.position);
      return released !== undefined;
    });
  });

  afterAll(async () => {
    await api?.close();
    await database?.drop();
  });

  const listingFigures = {
    expiring: {
      within7Days: { listings: 1, faceValueCents: { USD: '1000000' } },
      within30Days: { listings: 2, faceValueCents: { USD: '3000000' } },
      within90Days: { listings: 4, faceValueCents: { EUR: '3000000', USD: '3600000' } },
    },
  };

  it('answers every aggregate exactly for the dashboard role', async () => {
    const response = await summary(dashboardKey);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(Date.parse(body.asOf as string)).toBeGreaterThanOrEqual(now);
    expect(body).toEqual({
      asOf: expect.any(String),
      scope: { kind: 'all' },
      pipeline: { awaiting_approvals: 1, approved: 1, funded: 0, transferring: 0, transferred: 0, settled: 2, rejected: 0, cancelled: 1, expired: 1, disputed: 0, total: 6 },
      volume: { settledDeals: 2, settledPriceCents: { USD: '740000' }, openDeals: 2, openPriceCents: { USD: '210000' } },
      commissionEarnedCents: { USD: '74000' },
      ...listingFigures,
      lostToExpiry: { expiredListings: 1, faceValueCents: { USD: '800000' }, dealsExpiredOnCreditExpiry: 1, dealsExpiredOnCreditExpiryFaceValueCents: { USD: '300000' } },
      rescuedFromExpiry: { horizonDays: 90, deals: 1, faceValueCents: { USD: '400000' } },
      timings: {
        period: { fromInclusive: expect.any(String), toExclusive: body.asOf },
        // The first deals of the listings near, far and doomed; no buy request; the two settlements.
        timeToMatch: { listingVerifiedToFirstDeal: wholeMilliseconds(3), buyRequestPlacedToFirstFill: { samples: 0, medianMs: null, p90Ms: null } },
        timeToSettle: wholeMilliseconds(2),
      },
    });
    const { period } = (body as { timings: { period: { fromInclusive: string; toExclusive: string } } }).timings;
    expect(Date.parse(period.toExclusive) - Date.parse(period.fromInclusive)).toBe(30 * DAY_MS);
  });

  it('answers compliance and admin the same figures', async () => {
    const withoutTimes = (body: Record<string, unknown>): Record<string, unknown> => ({ ...body, asOf: null, timings: { ...(body.timings as object), period: null } });
    const dashboard = (await summary(dashboardKey)).json();
    for (const key of [complianceKey, ADMIN_KEY]) {
      const response = await summary(key);
      expect(response.statusCode).toBe(200);
      expect(withoutTimes(response.json())).toEqual(withoutTimes(dashboard));
    }
  });

  it('scopes the deal figures of a broker to the deals it brokers; the listing figures stay market-wide', async () => {
    const ana = (await summary(anaKey)).json();
    expect(ana).toMatchObject({
      scope: { kind: 'broker', brokerId: 'broker-ana' },
      pipeline: { awaiting_approvals: 1, approved: 0, settled: 2, cancelled: 1, expired: 0, total: 4 },
      volume: { settledDeals: 2, settledPriceCents: { USD: '740000' }, openDeals: 1, openPriceCents: { USD: '60000' } },
      commissionEarnedCents: { USD: '74000' },
      ...listingFigures,
      lostToExpiry: { expiredListings: 1, faceValueCents: { USD: '800000' }, dealsExpiredOnCreditExpiry: 0, dealsExpiredOnCreditExpiryFaceValueCents: {} },
      rescuedFromExpiry: { deals: 1, faceValueCents: { USD: '400000' } },
    });
    const ben = (await summary(benKey)).json();
    expect(ben).toMatchObject({
      scope: { kind: 'broker', brokerId: 'broker-ben' },
      pipeline: { approved: 1, expired: 1, settled: 0, total: 2 },
      volume: { settledDeals: 0, settledPriceCents: {}, openDeals: 1, openPriceCents: { USD: '150000' } },
      commissionEarnedCents: {},
      lostToExpiry: { dealsExpiredOnCreditExpiry: 1, dealsExpiredOnCreditExpiryFaceValueCents: { USD: '300000' } },
      rescuedFromExpiry: { deals: 0, faceValueCents: {} },
      // Matching is market-wide; settling follows the scope.
      timings: { timeToMatch: { listingVerifiedToFirstDeal: { samples: 3 } }, timeToSettle: { samples: 0, medianMs: null, p90Ms: null } },
    });
    expect(ana).toMatchObject({ timings: { timeToMatch: { listingVerifiedToFirstDeal: { samples: 3 } }, timeToSettle: { samples: 2 } } });
  });

  it('answers the timings over the period asked: `from` inclusive, `to` exclusive', async () => {
    const everything = await summaryWith([
      ['from', new Date(now - DAY_MS).toISOString()],
      ['to', new Date(Date.now() + DAY_MS).toISOString()],
    ]);
    expect(everything.statusCode).toBe(200);
    expect(everything.json()).toMatchObject({ timings: { timeToMatch: { listingVerifiedToFirstDeal: { samples: 3 } }, timeToSettle: { samples: 2 } } });
    // Ending exactly where every event starts: none is in.
    const before = await summaryWith([
      ['from', new Date(now - 366 * DAY_MS).toISOString()],
      ['to', new Date(now - 1).toISOString()],
    ]);
    expect(before.statusCode).toBe(200);
    const nothing = { samples: 0, medianMs: null, p90Ms: null };
    expect(before.json()).toMatchObject({
      timings: {
        period: { fromInclusive: new Date(now - 366 * DAY_MS).toISOString(), toExclusive: new Date(now - 1).toISOString() },
        timeToMatch: { listingVerifiedToFirstDeal: nothing, buyRequestPlacedToFirstFill: nothing },
        timeToSettle: nothing,
      },
    });
  });

  it('measures the default period and asOf by the injected clock, not the system clock', async () => {
    clockShiftMs = 400 * DAY_MS;
    try {
      const body = (await summary(dashboardKey)).json<{ asOf: string; timings: Record<string, unknown> }>();
      expect(Date.parse(body.asOf)).toBeGreaterThanOrEqual(now + 400 * DAY_MS);
      const nothing = { samples: 0, medianMs: null, p90Ms: null };
      expect(body.timings).toEqual({
        period: { fromInclusive: new Date(Date.parse(body.asOf) - 30 * DAY_MS).toISOString(), toExclusive: body.asOf },
        timeToMatch: { listingVerifiedToFirstDeal: nothing, buyRequestPlacedToFirstFill: nothing },
        timeToSettle: nothing,
      });
    } finally {
      clockShiftMs = 0;
    }
  });

  it('refuses a malformed, repeated, empty, inverted or over-long period with 400 VALIDATION_FAILED naming it', async () => {
    const refusals: Array<[ReadonlyArray<readonly [string, string]>, string]> = [
      [[['from', 'yesterday']], 'from'],
      [[['to', '2026-01-31']], 'to'],
      [[['to', '2026-01-31T00:00:00']], 'to'], // no time zone
      [[['from', '2026-02-30T00:00:00Z']], 'from'],
      [
        [
          ['from', '2026-01-01T00:00:00Z'],
          ['from', '2026-01-02T00:00:00Z'],
        ],
        'from',
      ],
      [
        [
          ['from', '2026-02-01T00:00:00Z'],
          ['to', '2026-01-01T00:00:00Z'],
        ],
        'from',
      ],
      [
        [
          ['from', '2026-01-01T00:00:00Z'],
          ['to', '2026-01-01T00:00:00.000Z'],
        ],
        'from',
      ],
      [[['from', new Date(Date.now() + DAY_MS).toISOString()]], 'from'], // after `to`, which defaults to now
      [
        [
          ['from', '2024-01-01T00:00:00Z'],
          ['to', '2025-01-01T00:00:00.001Z'],
        ],
        'from',
      ], // 366 days and 1 ms
      [[['since', '2026-01-01T00:00:00Z']], 'since'],
    ];
    for (const [query, named] of refusals) {
      const response = await summaryWith(query);
      expect({ query, statusCode: response.statusCode }).toEqual({ query, statusCode: 400 });
      const error = response.json<{ code: string; details: Record<string, unknown> }>();
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(Object.keys(error.details)).toContain(named);
    }
    // 366 days, a leap year: the longest period answered.
    const leapYear = await summaryWith([
      ['from', '2024-01-01T00:00:00Z'],
      ['to', '2025-01-01T00:00:00Z'],
    ]);
    expect(leapYear.statusCode).toBe(200);
    expect(leapYear.json()).toMatchObject({ timings: { period: { fromInclusive: '2024-01-01T00:00:00.000Z', toExclusive: '2025-01-01T00:00:00.000Z' } } });
  });

  it('needs an API key, and holds X-Min-Position to the rules of the other query routes', async () => {
    expect((await summary(null)).statusCode).toBe(401);
    const malformed = await summary(dashboardKey, 'soon');
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    const [commit] = head.split('.');
    const future = await summary(dashboardKey, `${BigInt(commit!) + 1_000_000n}.0`);
    expect(future.statusCode).toBe(503);
    expect(future.json()).toMatchObject({ code: 'READ_MODEL_BEHIND' });
  });
});
