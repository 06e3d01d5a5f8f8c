/**
 * The compliance routes end to end, over HTTP on a real PostgreSQL: stream
 * history with hashes, the global log by position, hash-chain verification,
 * a deal's timeline across its two streams, and the streamed export in JSON
 * Lines and CSV. Then the operator CLI (`verify`, `export`) as a child process.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import canonicalize from 'canonicalize';
import { parse } from 'csv-parse/sync';
import pg from 'pg';
import { readLedgerConfig } from '#configuration';
import { eventStoreMigrations, GENESIS_HASH, PostgresEventStore, type EventStore, type EventToAppend } from '#event-store';
import { AUDIT_CSV_COLUMNS, openAuditExport, toAuditEvent, type AuditEvent } from '#read-models';
import { createTestDatabase, type TestDatabase } from '#testing';
import { startLedgerApi, type RunningLedgerApi } from '../apps/ledger-api/src/ledger-api.js';

const ADMIN_KEY = 'test-admin-key-0123456789abcdef';
const CREDITS_EXPIRE_AT = '2030-06-01T00:00:00.000Z';
const CLI_MAIN = join(process.cwd(), 'dist/apps/ledger-cli/src/main.js');

interface Answer {
  readonly statusCode: number;
  readonly body: string;
  readonly headers: Record<string, unknown>;
  json<T = Record<string, unknown>>(): T;
}

interface Page {
  readonly items: AuditEvent[];
  readonly nextCursor: string | null;
}

function aFact(type: string, data: Record<string, string> = {}): EventToAppend {
  return {
    id: randomUUID(),
    type,
    data: { ...data, note: 'a "quoted", comma\nand newline' },
    metadata: { actorId: 'audit-spec', actorRole: 'system', correlationId: randomUUID(), causationId: null, occurredAt: new Date().toISOString(), schemaVersion: 1 },
  };
}

/** Rewrites a stored fact past the append-only trigger, as only an attacker with the database could. */
async function tamper(databaseUrl: string, stream: string, revision: number): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('SET session_replication_role = replica');
    await client.query(`UPDATE ledger_events SET data = '{"amountCents":"1"}' WHERE stream_id = $1 AND stream_revision = $2`, [stream, revision]);
  } finally {
    await client.end();
  }
}

async function wholeLog(store: EventStore): Promise<AuditEvent[]> {
  const events: AuditEvent[] = [];
  let after;
  for (;;) {
    const page = await store.readAll({ after, maxCount: 1_000 });
    events.push(...page.map(toAuditEvent));
    if (page.length < 1_000) return events;
    after = page[page.length - 1]!.position;
  }
}

describe('the compliance routes over HTTP', () => {
  let api: RunningLedgerApi;
  let database: TestDatabase;
  let brokerKey: string;
  let complianceKey: string;
  let dashboardKey: string;
  let listingId: string;
  let cancelledDealId: string;
  let otherDealId: string;

  const post = (url: string, payload: unknown, key = brokerKey): Promise<Answer> =>
    api.app.inject({ method: 'POST', url, payload: payload as object, headers: { authorization: `Bearer ${key}` } }) as Promise<Answer>;
  const get = (url: string, key = complianceKey): Promise<Answer> =>
    api.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${key}` } }) as Promise<Answer>;
  const issueKey = async (principalId: string, role: string): Promise<string> => {
    const response = await post('/v1/admin/api-keys', { role, principalId }, ADMIN_KEY);
    expect(response.statusCode).toBe(201);
    return response.json<{ key: string }>().key;
  };
  const eventually = async <T>(read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 10_000): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await read();
      if (accept(value)) return value;
      if (Date.now() > deadline) throw new Error(`not reached in ${timeoutMs} ms: ${JSON.stringify(value)}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };
  const openDeal = async (faceValueCents: string): Promise<string> => {
    const opened = await post('/v1/deals', { listingId, buyerId: 'buyer-globex', faceValueCents, priceCents: '100000', commissionBps: 1_000 });
    expect(opened.statusCode).toBe(201);
    return opened.json<{ id: string }>().id;
  };

  beforeAll(async () => {
    database = await createTestDatabase([]);
    api = await startLedgerApi(readLedgerConfig({ DATABASE_URL: database.url, PORT: '0', LEDGER_ADMIN_KEY: ADMIN_KEY, LEDGER_RATE_LIMIT_PER_MINUTE: '100000' }));
    brokerKey = await issueKey('broker-ana', 'broker');
    complianceKey = await issueKey('compliance-cy', 'compliance');
    dashboardKey = await issueKey('dashboard-dee', 'dashboard');

    const submitted = await post('/v1/listings', {
      sellerId: 'seller-acme',
      provider: 'openai',
      creditType: 'prepaid_api',
      providerOrgRef: 'org-acme-123',
      faceValueCents: '1000000',
      currency: 'USD',
      creditExpiresAt: CREDITS_EXPIRE_AT,
      askPriceCents: '600000',
    });
    expect(submitted.statusCode).toBe(201);
    listingId = submitted.json<{ id: string }>().id;
    const verified = await post(`/v1/listings/${listingId}/verification`, {
      verifiedFaceValueCents: '1000000',
      verifiedExpiresAt: CREDITS_EXPIRE_AT,
      evidence: { method: 'provider_dashboard', reference: 'screenshot-42', checkedAt: '2026-11-20T09:00:00Z' },
    });
    expect(verified.statusCode).toBe(200);

    cancelledDealId = await openDeal('200000');
    otherDealId = await openDeal('300000');
    expect((await post(`/v1/deals/${cancelledDealId}/terms`, { priceCents: '110000' })).statusCode).toBe(200);
    expect((await post(`/v1/deals/${cancelledDealId}/cancellation`, { reason: 'buyer withdrew' })).statusCode).toBe(200);
    // The reservation process manager releases the cancelled deal's reservation in the background.
    await eventually(
      () => api.store.readStream(`listing-${listingId}`),
      (events) => events.some((event) => event.type === 'ListingReservationReleased'),
    );
  });

  afterAll(async () => {
    await api?.close();
    await database?.drop();
  });

  describe('GET /v1/audit/streams/:stream', () => {
    it('answers the stream in revision order with metadata and the hash chain', async () => {
      const answer = await get(`/v1/audit/streams/listing-${listingId}`);
      expect(answer.statusCode).toBe(200);
      const { items, nextCursor } = answer.json<Page>();
      expect(nextCursor).toBeNull();
      expect(items.map((item) => item.type)).toEqual(['ListingSubmitted', 'ListingVerified', 'ListingReserved', 'ListingReserved', 'ListingReservationReleased']);
      expect(items[0]).toEqual({
        stream: `listing-${listingId}`,
        revision: '0',
        position: expect.stringMatching(/^\d+\.\d+$/),
        id: expect.any(String),
        type: 'ListingSubmitted',
        data: expect.objectContaining({ listingId, sellerId: 'seller-acme' }),
        metadata: expect.objectContaining({ actorId: 'broker-ana', actorRole: 'broker', causationId: expect.any(String), schemaVersion: 1 }),
        recordedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
        prevHash: GENESIS_HASH,
        hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
      items.slice(1).forEach((item, index) => {
        expect(item.revision).toBe(String(index + 1));
        expect(item.prevHash).toBe(items[index]!.hash);
      });
    });

    it('pages by revision: the cursor is the next revision, null on the last page', async () => {
      const whole = (await get(`/v1/audit/streams/listing-${listingId}`)).json<Page>().items;
      const paged: AuditEvent[] = [];
      const cursors: Array<string | null> = [];
      let fromRevision = '0';
      for (;;) {
        const page = (await get(`/v1/audit/streams/listing-${listingId}?fromRevision=${fromRevision}&limit=2`)).json<Page>();
        paged.push(...page.items);
        cursors.push(page.nextCursor);
        if (page.nextCursor === null) break;
        fromRevision = page.nextCursor;
      }
      expect(cursors).toEqual(['2', '4', null]);
      expect(paged).toEqual(whole);
    });

    it('takes stream names of up to 200 characters of letters, digits and . _ : @ -', async () => {
      const answer = await get(`/v1/audit/streams/${'a.b_c:d@e-'.repeat(20)}`);
      expect(answer.json()).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
    });

    it('answers 404 for a stream with no events, and an empty page past the end of a real one', async () => {
      const unknown = await get(`/v1/audit/streams/listing-${randomUUID()}`);
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json()).toMatchObject({ code: 'NOT_FOUND' });
      const pastTheEnd = await get(`/v1/audit/streams/listing-${listingId}?fromRevision=99`);
      expect(pastTheEnd.statusCode).toBe(200);
      expect(pastTheEnd.json()).toEqual({ items: [], nextCursor: null });
    });

    it.each([
      ['a malformed stream name', '/v1/audit/streams/bad%20stream'],
      ['a stream name over 200 characters', `/v1/audit/streams/${'x'.repeat(201)}`],
      ['a stream name with a slash', '/v1/audit/streams/deal%2Fx'],
      ['limit 0', '/v1/audit/streams/deal-x?limit=0'],
      ['limit over 1,000', '/v1/audit/streams/deal-x?limit=1001'],
      ['a negative fromRevision', '/v1/audit/streams/deal-x?fromRevision=-1'],
      ['a fractional fromRevision', '/v1/audit/streams/deal-x?fromRevision=1.5'],
    ])('refuses %s with 400 VALIDATION_FAILED', async (_case, url) => {
      const answer = await get(url);
      expect(answer.statusCode).toBe(400);
      expect(answer.json()).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
    });
  });

  describe('who may read the audit', () => {
    const routes = () => [
      `/v1/audit/streams/listing-${listingId}`,
      `/v1/audit/streams/listing-${listingId}/verification`,
      '/v1/audit/events',
      `/v1/audit/deals/${cancelledDealId}/timeline`,
      '/v1/audit/export',
    ];

    it('refuses brokers and dashboards with 403 on every compliance route', async () => {
      for (const url of routes()) {
        for (const key of [brokerKey, dashboardKey]) {
          const answer = await get(url, key);
          expect({ url, statusCode: answer.statusCode, code: answer.json().code }).toEqual({ url, statusCode: 403, code: 'FORBIDDEN' });
        }
      }
    });

    it('lets compliance and admin read every compliance route', async () => {
      for (const url of routes()) {
        for (const key of [complianceKey, ADMIN_KEY]) expect({ url, statusCode: (await get(url, key)).statusCode }).toEqual({ url, statusCode: 200 });
      }
    });

    it('refuses a request without a key with 401', async () => {
      const answer = (await api.app.inject({ method: 'GET', url: '/v1/audit/events' })) as Answer;
      expect(answer.statusCode).toBe(401);
    });
  });

  describe('GET /v1/audit/events', () => {
    it('pages through the global log by position and equals the log', async () => {
      const paged: AuditEvent[] = [];
      let url = '/v1/audit/events?limit=3';
      for (;;) {
        const answer = await get(url);
        expect(answer.statusCode).toBe(200);
        const page = answer.json<Page>();
        expect(page.items.length).toBeLessThanOrEqual(3);
        paged.push(...page.items);
        if (page.nextCursor === null) break;
        expect(page.nextCursor).toBe(page.items.at(-1)!.position);
        url = `/v1/audit/events?limit=3&fromPosition=${page.nextCursor}`;
      }
      const log = await wholeLog(api.store);
      expect(paged).toEqual(log.slice(0, paged.length));
      expect(paged.length).toBeGreaterThanOrEqual(9);
    });

    it('answers 100 events by default', async () => {
      const page = (await get('/v1/audit/events')).json<Page>();
      expect(page.items.length).toBeLessThanOrEqual(100);
    });

    it.each(['abc', '1.2.3', '1', '-1.0', '01.2', '99999999999999999999999.0'])('refuses fromPosition=%s with 400 VALIDATION_FAILED', async (position) => {
      const answer = await get(`/v1/audit/events?fromPosition=${encodeURIComponent(position)}`);
      expect(answer.statusCode).toBe(400);
      expect(answer.json()).toMatchObject({ code: 'VALIDATION_FAILED', details: { fromPosition: position } });
    });
  });

  describe('GET /v1/audit/streams/:stream/verification', () => {
    it('finds an untouched stream valid', async () => {
      const answer = await get(`/v1/audit/streams/deal-${cancelledDealId}/verification`);
      expect(answer.statusCode).toBe(200);
      expect(answer.json()).toEqual({ valid: true, events: 3 });
    });

    it('names the first broken revision of a tampered stream', async () => {
      const stream = `audit-probe-${randomUUID()}`;
      await api.store.append(stream, [aFact('ProbeOpened'), aFact('ProbePaid', { amountCents: '100' }), aFact('ProbeClosed')], 'no_stream');
      await tamper(database.url, stream, 1);
      const answer = await get(`/v1/audit/streams/${stream}/verification`);
      expect(answer.statusCode).toBe(200);
      expect(answer.json()).toEqual({ valid: false, events: 1, brokenAt: 1, reason: 'hash_mismatch' });
    });

    it('answers 404 for a stream with no events', async () => {
      expect((await get(`/v1/audit/streams/deal-${randomUUID()}/verification`)).statusCode).toBe(404);
    });
  });

  describe('GET /v1/audit/deals/:id/timeline', () => {
    it("merges the deal's facts with the listing facts that name it, in log order, with causation", async () => {
      const answer = await get(`/v1/audit/deals/${cancelledDealId}/timeline`);
      expect(answer.statusCode).toBe(200);
      const timeline = answer.json<{ dealId: string; listingId: string; items: AuditEvent[] }>();
      expect(timeline.dealId).toBe(cancelledDealId);
      expect(timeline.listingId).toBe(listingId);
      expect(timeline.items.map((item) => [item.stream, item.type])).toEqual([
        [`listing-${listingId}`, 'ListingReserved'],
        [`deal-${cancelledDealId}`, 'DealOpened'],
        [`deal-${cancelledDealId}`, 'DealTermsAmended'],
        [`deal-${cancelledDealId}`, 'DealCancelled'],
        [`listing-${listingId}`, 'ListingReservationReleased'],
      ]);
      const positions = timeline.items.map((item) => item.position.split('.').map(BigInt) as [bigint, bigint]);
      positions.slice(1).forEach(([commit, prepare], index) => {
        const [previousCommit, previousPrepare] = positions[index]!;
        expect(commit > previousCommit || (commit === previousCommit && prepare > previousPrepare)).toBe(true);
      });
      const cancelled = timeline.items.find((item) => item.type === 'DealCancelled')!;
      const released = timeline.items.find((item) => item.type === 'ListingReservationReleased')!;
      expect(released.metadata.causationId).toBe(cancelled.id);
      expect(timeline.items.every((item) => item.stream.startsWith('deal-') || item.data['dealId'] === cancelledDealId)).toBe(true);
    });

    it("leaves out the listing's facts about another deal", async () => {
      const timeline = (await get(`/v1/audit/deals/${otherDealId}/timeline`)).json<{ items: AuditEvent[] }>();
      expect(timeline.items.map((item) => item.type)).toEqual(['ListingReserved', 'DealOpened']);
      expect(timeline.items[0]!.data['dealId']).toBe(otherDealId);
    });

    it('answers 404 for a deal with no events and 400 for an id that is no UUID', async () => {
      expect((await get(`/v1/audit/deals/${randomUUID()}/timeline`)).json()).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
      expect((await get('/v1/audit/deals/not-a-uuid/timeline')).json()).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
    });
  });

  describe('GET /v1/audit/export', () => {
    // A store of its own, so the spies count the export's reads and not the background subscriptions'.
    let exportPool: pg.Pool;
    let exportStore: PostgresEventStore;
    beforeAll(() => {
      exportPool = new pg.Pool({ connectionString: database.url, max: 2 });
      exportStore = new PostgresEventStore(exportPool);
    });
    afterAll(() => exportPool?.end());

    it('streams the log as canonical JSON Lines, one audit event per line, equal to the log', async () => {
      const answer = await get('/v1/audit/export');
      expect(answer.statusCode).toBe(200);
      expect(answer.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
      expect(answer.headers['content-disposition']).toBe('attachment; filename="ledger-audit.jsonl"');
      expect(answer.body.endsWith('\n')).toBe(true);
      const lines = answer.body.slice(0, -1).split('\n');
      const exported = lines.map((line) => JSON.parse(line) as AuditEvent);
      lines.forEach((line, index) => expect(line).toBe(canonicalize(exported[index])));
      const log = await wholeLog(api.store);
      expect(exported.length).toBeGreaterThanOrEqual(9);
      expect(exported).toEqual(log.slice(0, exported.length));
    });

    it('streams the log as CSV with a header row that a CSV parser reads back', async () => {
      const answer = await get('/v1/audit/export?format=csv');
      expect(answer.statusCode).toBe(200);
      expect(answer.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(answer.headers['content-disposition']).toBe('attachment; filename="ledger-audit.csv"');
      expect(answer.body.split('\n')[0]).toBe(AUDIT_CSV_COLUMNS.join(','));
      const records = parse(answer.body, { columns: true }) as Array<Record<string, string>>;
      const exported = records.map((record) => ({ ...record, data: JSON.parse(record['data']!), metadata: JSON.parse(record['metadata']!) }));
      const log = await wholeLog(api.store);
      expect(exported).toEqual(log.slice(0, exported.length));
      records.forEach((record, index) => expect(record['data']).toBe(canonicalize(log[index]!.data)));
    });

    it('keeps only events recorded from `from` (inclusive) to `to` (exclusive)', async () => {
      const log = await wholeLog(api.store);
      const from = log[2]!.recordedAt;
      const to = log.at(-1)!.recordedAt;
      const answer = await get(`/v1/audit/export?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`);
      const exported = answer.body.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as AuditEvent);
      expect(exported).toEqual(log.filter((event) => event.recordedAt >= from && event.recordedAt < to));
      expect(exported.length).toBeGreaterThan(0);
    });

    it.each([
      ['an unknown format', 'format=xml'],
      ['a malformed from', 'from=yesterday'],
      ['a to without an offset', 'to=2026-01-01T00:00:00'],
      ['from after to', 'from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z'],
    ])('refuses %s with 400 VALIDATION_FAILED', async (_case, query) => {
      const answer = await get(`/v1/audit/export?${query}`);
      expect(answer.statusCode).toBe(400);
      expect(answer.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    });

    it('reads the log page by page as the export is consumed, never all at once', async () => {
      for (let batch = 0; batch < 3; batch += 1) {
        await api.store.append(`audit-bulk-${randomUUID()}`, Array.from({ length: 1_000 }, () => aFact('BulkFact')), 'no_stream');
      }
      const logLength = (await wholeLog(api.store)).length;
      const readAll = jest.spyOn(exportStore, 'readAll');
      try {
        const pageSize = 500;
        const exporting = openAuditExport(exportStore, { format: 'jsonl', pageSize })[Symbol.asyncIterator]();
        const first = await exporting.next();
        expect(first.done).toBe(false);
        // The first bytes are out while at most the first page (and one read ahead) has been read.
        expect(readAll.mock.calls.length).toBeLessThanOrEqual(2);
        let bytes = (first.value as Buffer).length;
        for (let chunk = await exporting.next(); chunk.done !== true; chunk = await exporting.next()) bytes += (chunk.value as Buffer).length;
        expect(bytes).toBeGreaterThan(0);
        expect(readAll.mock.calls.length).toBe(Math.floor(logLength / pageSize) + 1);
        expect(readAll.mock.calls.every(([options]) => options?.maxCount === pageSize)).toBe(true);
      } finally {
        readAll.mockRestore();
      }
    });

    it('stops reading the log when the reader goes away', async () => {
      const readAll = jest.spyOn(exportStore, 'readAll');
      try {
        const exporting = openAuditExport(exportStore, { format: 'csv', pageSize: 100 });
        await new Promise<void>((resolve) => exporting.once('readable', () => resolve()));
        exporting.destroy();
        await new Promise((resolve) => setTimeout(resolve, 200));
        expect(readAll.mock.calls.length).toBeLessThanOrEqual(2);
      } finally {
        readAll.mockRestore();
      }
    });
  });
});

describe('the operator CLI', () => {
  let database: TestDatabase;
  let pool: pg.Pool;
  let store: PostgresEventStore;
  let workDir: string;
  const streams = [`deal-${randomUUID()}`, `listing-${randomUUID()}`, `deal-${randomUUID()}`];

  const cli = (...args: string[]) =>
    spawnSync(process.execPath, [CLI_MAIN, ...args], {
      encoding: 'utf8',
      env: { PATH: process.env['PATH'], DATABASE_URL: database.url },
      timeout: 30_000,
    });

  beforeAll(async () => {
    database = await createTestDatabase(eventStoreMigrations);
    pool = new pg.Pool({ connectionString: database.url, max: 2 });
    store = new PostgresEventStore(pool);
    for (const stream of streams) await store.append(stream, [aFact('Opened'), aFact('Paid', { amountCents: '100' }), aFact('Closed')], 'no_stream');
    workDir = await mkdtemp(join(tmpdir(), 'ledger-cli-'));
  });

  afterAll(async () => {
    await pool?.end();
    await database?.drop();
    if (workDir !== undefined) await rm(workDir, { recursive: true, force: true });
  });

  it('exports the log to a file in the same bytes as the library export', async () => {
    const out = join(workDir, 'audit.csv');
    const run = cli('export', '--format', 'csv', '--out', out);
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    const expected: Buffer[] = [];
    for await (const chunk of openAuditExport(store, { format: 'csv' })) expected.push(chunk as Buffer);
    expect(await readFile(out, 'utf8')).toBe(Buffer.concat(expected).toString('utf8'));
    const records = parse(await readFile(out, 'utf8'), { columns: true }) as Array<Record<string, string>>;
    expect(records.map((record) => record['stream'])).toEqual(streams.flatMap((stream) => [stream, stream, stream]));
  });

  it('exports JSON Lines to standard output', () => {
    const run = cli('export', '--format', 'jsonl', '--from', '2000-01-01T00:00:00Z');
    expect(run.status).toBe(0);
    expect(run.stdout.trim().split('\n')).toHaveLength(9);
  });

  it('refuses a malformed option with exit code 2', () => {
    expect(cli('export', '--format', 'xml').status).toBe(2);
    expect(cli('export', '--from', 'yesterday').status).toBe(2);
  });

  it('verifies every stream: exit 0 while intact, exit 1 naming the first broken stream and revision', async () => {
    const intact = cli('verify');
    expect({ status: intact.status, stdout: intact.stdout }).toEqual({ status: 0, stdout: 'verified 3 streams, 9 events: every hash chain is intact\n' });

    await tamper(database.url, streams[1]!, 1);
    await tamper(database.url, streams[2]!, 2);
    const broken = cli('verify');
    expect(broken.status).toBe(1);
    expect(broken.stderr.split('\n')[0]).toBe(`BROKEN: stream ${streams[1]} at revision 1 (hash_mismatch)`);
    expect(broken.stderr).toContain(`also broken: stream ${streams[2]} at revision 2 (hash_mismatch)`);
    expect(broken.stderr).toContain('verified 3 streams, 6 events: 2 broken');
  });
});
