import pg from 'pg';
import { readLedgerConfig } from '#configuration';
import { createTestDatabase, type TestDatabase } from '#testing';
import { startLedgerApi, type RunningLedgerApi } from '../apps/ledger-api/src/ledger-api.js';
import { EdgeProbeModule, probeCalls } from './support/edge-probe.module.js';

const ADMIN_KEY = 'test-admin-key-0123456789abcdef';
/** The body limit startLedgerApi gives Fastify. */
const BODY_LIMIT_BYTES = 64 * 1024;

/**
 * The HTTP edge every command shares, over HTTP on a real PostgreSQL: error
 * bodies, validation, correlation ids, If-Match and Idempotency-Key. A probe
 * controller stands in for the command controllers.
 */
describe('HTTP edge', () => {
  let api: RunningLedgerApi;
  let database: TestDatabase;
  let brokerKey: string;

  type InjectOptions = { method?: 'GET' | 'POST' | 'DELETE'; url: string; headers?: Record<string, string>; payload?: unknown; key?: string };
  const send = (options: InjectOptions): ReturnType<RunningLedgerApi['app']['inject']> =>
    api.app.inject({
      method: options.method ?? 'POST',
      url: options.url,
      headers: { authorization: `Bearer ${options.key ?? brokerKey}`, ...options.headers },
      ...(options.payload === undefined ? {} : { payload: options.payload as string }),
    });

  beforeAll(async () => {
    database = await createTestDatabase([]);
    api = await startLedgerApi(readLedgerConfig({ DATABASE_URL: database.url, PORT: '0', LEDGER_ADMIN_KEY: ADMIN_KEY }), { imports: [EdgeProbeModule] });
    const issued = await api.app.inject({
      method: 'POST',
      url: '/v1/admin/api-keys',
      headers: { authorization: `Bearer ${ADMIN_KEY}` },
      payload: { role: 'broker', principalId: 'broker-edge' },
    });
    brokerKey = issued.json<{ key: string }>().key;
  });

  afterAll(async () => {
    await api?.close();
    await database?.drop();
  });

  describe('errors', () => {
    it('answers an unknown route with 404 NOT_FOUND in the error body', async () => {
      const response = await send({ method: 'GET', url: '/v1/nothing-here' });
      expect(response.statusCode).toBe(404);
      expect(response.json()).toEqual({ statusCode: 404, code: 'NOT_FOUND', message: expect.any(String) });
    });

    it('names an unknown field in details (400 VALIDATION_FAILED)', async () => {
      const response = await send({ url: '/v1/probes', payload: { name: 'x', foo: 1 } });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({
        statusCode: 400,
        code: 'VALIDATION_FAILED',
        message: expect.stringContaining('foo'),
        details: { foo: 'property foo should not exist' },
      });
    });

    it('names each offending field, nested ones by their path', async () => {
      const response = await send({ url: '/v1/probes', payload: { amountCents: -1, evidence: { method: 7 } } });
      expect(response.statusCode).toBe(400);
      expect(response.json().details).toEqual({
        name: expect.any(String),
        amountCents: expect.any(String),
        'evidence.method': expect.any(String),
      });
    });

    it('gives the controller the DTO as an instance of its class', async () => {
      const response = await send({ url: '/v1/probes', payload: { name: 'typed' } });
      expect(response.statusCode).toBe(201);
      expect(response.json()).toMatchObject({ isDto: true });
    });

    it('answers malformed JSON with 400 VALIDATION_FAILED', async () => {
      const response = await send({ url: '/v1/probes', headers: { 'content-type': 'application/json' }, payload: '{"name": "x",' });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
    });

    it('answers a body over the limit with 413 PAYLOAD_TOO_LARGE', async () => {
      const response = await send({ url: '/v1/probes', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ name: 'x'.repeat(BODY_LIMIT_BYTES) }) });
      expect(response.statusCode).toBe(413);
      expect(response.json()).toMatchObject({ statusCode: 413, code: 'PAYLOAD_TOO_LARGE' });
    });

    it('answers a business rejection with 409 and its own code, message and details', async () => {
      const response = await send({ url: '/v1/probes/listing-1/rejections' });
      expect(response.statusCode).toBe(409);
      expect(response.json()).toEqual({
        statusCode: 409,
        code: 'LISTING_NOT_VERIFIED',
        message: 'listing listing-1 is not verified',
        details: { listingId: 'listing-1' },
      });
    });

    it('answers a business rejection whose code ends in _NOT_FOUND with 404', async () => {
      const response = await send({ url: '/v1/probes/deal-9/missing' });
      expect(response.statusCode).toBe(404);
      expect(response.json()).toMatchObject({ statusCode: 404, code: 'DEAL_NOT_FOUND' });
    });

    it('answers the event store’s concurrency error with 409 CONCURRENCY_CONFLICT', async () => {
      const response = await send({ url: '/v1/probes/conflict' });
      expect(response.statusCode).toBe(409);
      expect(response.json()).toMatchObject({ code: 'CONCURRENCY_CONFLICT', details: { expectedRevision: '3', actualRevision: '5' } });
    });

    it('answers an unavailable event store with 503 UNAVAILABLE', async () => {
      const response = await send({ url: '/v1/probes/store-down' });
      expect(response.statusCode).toBe(503);
      expect(response.json()).toMatchObject({ statusCode: 503, code: 'UNAVAILABLE' });
      expect(response.body).not.toContain('10.0.0.7');
    });

    it('answers an unexpected error with 500 INTERNAL_ERROR and nothing of its internals', async () => {
      probeCalls.flaky = 0;
      const response = await send({ url: '/v1/probes/flaky', payload: { name: 'x' } });
      expect(response.statusCode).toBe(500);
      expect(response.json()).toEqual({ statusCode: 500, code: 'INTERNAL_ERROR', message: expect.any(String) });
      expect(response.body).not.toContain('secret');
    });
  });

  describe('correlation id', () => {
    it('echoes a sane X-Correlation-Id and hands it to the controller', async () => {
      const response = await send({ url: '/v1/probes', headers: { 'x-correlation-id': 'trace-42.a:b' }, payload: { name: 'x' } });
      expect(response.headers['x-correlation-id']).toBe('trace-42.a:b');
      expect(response.json()).toMatchObject({ correlationId: 'trace-42.a:b', principalId: 'broker-edge' });
    });

    it.each([
      ['none', undefined],
      ['one with spaces and quotes', 'a b "c"'],
      ['one over 100 characters', 'x'.repeat(101)],
    ])('makes a new UUID for %s', async (_case, header) => {
      const response = await send({ url: '/v1/probes', headers: header === undefined ? {} : { 'x-correlation-id': header }, payload: { name: 'x' } });
      const correlationId = response.headers['x-correlation-id'];
      expect(correlationId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(response.json()).toMatchObject({ correlationId });
    });

    it('is on error answers too, also those Nest never routes', async () => {
      const unknownRoute = await send({ method: 'GET', url: '/v1/nothing-here', headers: { 'x-correlation-id': 'c-404' } });
      const tooLarge = await send({ url: '/v1/probes', headers: { 'x-correlation-id': 'c-413', 'content-type': 'application/json' }, payload: 'x'.repeat(BODY_LIMIT_BYTES + 1) });
      const unauthenticated = await api.app.inject({ method: 'GET', url: '/v1/probes/whoami', headers: { 'x-correlation-id': 'c-401' } });
      expect(unknownRoute.headers['x-correlation-id']).toBe('c-404');
      expect(tooLarge.headers['x-correlation-id']).toBe('c-413');
      expect(unauthenticated.headers['x-correlation-id']).toBe('c-401');
    });
  });

  describe('If-Match', () => {
    it.each([
      ['7', '7'],
      ['"7"', '7'],
      ['0', '0'],
      ['9223372036854775807', '9223372036854775807'],
    ])('reads If-Match: %s as expected revision %s', async (header, expected) => {
      const response = await send({ url: '/v1/probes', headers: { 'if-match': header }, payload: { name: 'x' } });
      expect(response.statusCode).toBe(201);
      expect(response.json()).toMatchObject({ expectedRevision: expected });
    });

    it('gives undefined without If-Match', async () => {
      const response = await send({ url: '/v1/probes', payload: { name: 'x' } });
      expect(response.json()).toMatchObject({ expectedRevision: null });
    });

    it.each(['-1', 'abc', '*', 'W/"7"', '1, 2', '9223372036854775808', '""'])('refuses If-Match: %s with 400 VALIDATION_FAILED', async (header) => {
      const response = await send({ url: '/v1/probes', headers: { 'if-match': header }, payload: { name: 'x' } });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ code: 'VALIDATION_FAILED', details: { 'If-Match': expect.any(String) } });
    });
  });

  describe('Idempotency-Key', () => {
    let keyNumber = 0;
    const newKey = (): string => `key-${Date.now()}-${++keyNumber}`;

    it('replays the first answer byte for byte without running the command again', async () => {
      const key = newKey();
      const callsBefore = probeCalls.created;
      const first = await send({ url: '/v1/probes', headers: { 'idempotency-key': key }, payload: { name: 'once', amountCents: 5 } });
      // The same body with its fields in another order and other spacing is the same request.
      const again = await send({ url: '/v1/probes', headers: { 'idempotency-key': key, 'content-type': 'application/json' }, payload: '{ "amountCents": 5,  "name": "once" }' });

      expect(first.statusCode).toBe(201);
      expect(again.statusCode).toBe(201);
      expect(again.rawPayload.equals(first.rawPayload)).toBe(true);
      expect(again.headers['content-type']).toBe(first.headers['content-type']);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      expect(probeCalls.created).toBe(callsBefore + 1);
    });

    it('refuses the same key with another body: 409 IDEMPOTENCY_KEY_REUSED, and the command does not run', async () => {
      const key = newKey();
      await send({ url: '/v1/probes', headers: { 'idempotency-key': key }, payload: { name: 'first' } });
      const callsBefore = probeCalls.created;

      const reused = await send({ url: '/v1/probes', headers: { 'idempotency-key': key }, payload: { name: 'second' } });

      expect(reused.statusCode).toBe(409);
      expect(reused.json()).toMatchObject({ statusCode: 409, code: 'IDEMPOTENCY_KEY_REUSED' });
      expect(probeCalls.created).toBe(callsBefore);
    });

    it('refuses the same key and body on another route as a reuse', async () => {
      const key = newKey();
      await send({ url: '/v1/probes/a/rejections', headers: { 'idempotency-key': key } });
      const elsewhere = await send({ url: '/v1/probes/b/rejections', headers: { 'idempotency-key': key } });
      expect(elsewhere.json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    });

    it('runs the command once for 20 concurrent duplicates, and gives them all the same answer', async () => {
      const key = newKey();
      const callsBefore = probeCalls.created;

      const responses = await Promise.all(
        Array.from({ length: 20 }, () => send({ url: '/v1/probes', headers: { 'idempotency-key': key }, payload: { name: 'concurrent' } })),
      );

      expect(probeCalls.created).toBe(callsBefore + 1);
      expect(responses.map((response) => response.statusCode)).toEqual(Array(20).fill(201));
      const bodies = new Set(responses.map((response) => response.body));
      expect(bodies.size).toBe(1);
      expect(responses.filter((response) => response.headers['idempotent-replayed'] === 'true')).toHaveLength(19);
    });

    it('scopes keys per principal', async () => {
      const key = newKey();
      const other = await api.app.inject({
        method: 'POST',
        url: '/v1/admin/api-keys',
        headers: { authorization: `Bearer ${ADMIN_KEY}` },
        payload: { role: 'broker', principalId: 'broker-other' },
      });
      const otherKey = other.json<{ key: string }>().key;
      const callsBefore = probeCalls.created;

      const mine = await send({ url: '/v1/probes', headers: { 'idempotency-key': key }, payload: { name: 'same' } });
      const theirs = await send({ url: '/v1/probes', key: otherKey, headers: { 'idempotency-key': key }, payload: { name: 'same' } });

      expect(probeCalls.created).toBe(callsBefore + 2);
      expect(theirs.headers['idempotent-replayed']).toBeUndefined();
      expect(theirs.json().id).not.toBe(mine.json().id);
    });

    it('replays a 4xx answer too (a business rejection is the answer to that request)', async () => {
      const key = newKey();
      const callsBefore = probeCalls.rejected;
      const first = await send({ url: '/v1/probes/listing-7/rejections', headers: { 'idempotency-key': key } });
      const again = await send({ url: '/v1/probes/listing-7/rejections', headers: { 'idempotency-key': key } });
      expect(first.statusCode).toBe(409);
      expect(again.statusCode).toBe(409);
      expect(again.body).toBe(first.body);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(probeCalls.rejected).toBe(callsBefore + 1);
    });

    it('replays a 204 answer with its empty body', async () => {
      const key = newKey();
      const first = await send({ method: 'DELETE', url: '/v1/probes/p-1', headers: { 'idempotency-key': key } });
      const again = await send({ method: 'DELETE', url: '/v1/probes/p-1', headers: { 'idempotency-key': key } });
      expect(first.statusCode).toBe(204);
      expect(again.statusCode).toBe(204);
      expect(again.body).toBe('');
      expect(again.headers['idempotent-replayed']).toBe('true');
    });

    it('gives the key up after a 5xx answer, so a retry runs the command', async () => {
      const key = newKey();
      probeCalls.flaky = 0;
      const failed = await send({ url: '/v1/probes/flaky', headers: { 'idempotency-key': key }, payload: { name: 'retry me' } });
      const retried = await send({ url: '/v1/probes/flaky', headers: { 'idempotency-key': key }, payload: { name: 'retry me' } });
      const replayed = await send({ url: '/v1/probes/flaky', headers: { 'idempotency-key': key }, payload: { name: 'retry me' } });
      expect(failed.statusCode).toBe(500);
      expect(retried.statusCode).toBe(201);
      expect(retried.headers['idempotent-replayed']).toBeUndefined();
      expect(replayed.body).toBe(retried.body);
      expect(probeCalls.flaky).toBe(2);
    });

    it('gives the key up after a 400 (the command never ran), so the corrected request with the same key runs', async () => {
      const key = newKey();
      const callsBefore = probeCalls.created;
      const invalid = await send({ url: '/v1/probes', headers: { 'idempotency-key': key }, payload: { name: 'fixed later', unexpected: true } });
      const corrected = await send({ url: '/v1/probes', headers: { 'idempotency-key': key }, payload: { name: 'fixed later' } });
      const replayed = await send({ url: '/v1/probes', headers: { 'idempotency-key': key }, payload: { name: 'fixed later' } });
      expect(invalid.statusCode).toBe(400);
      expect(corrected.statusCode).toBe(201);
      expect(corrected.headers['idempotent-replayed']).toBeUndefined();
      expect(replayed.headers['idempotent-replayed']).toBe('true');
      expect(replayed.body).toBe(corrected.body);
      expect(probeCalls.created).toBe(callsBefore + 1);
    });

    it('answers 409 IDEMPOTENCY_REQUEST_IN_PROGRESS when the first request is still running after the wait', async () => {
      const key = newKey();
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      try {
        // A claim as an instance that died mid-command leaves it.
        await client.query(`INSERT INTO idempotency_keys (principal_id, idempotency_key, request_hash, state) VALUES ('broker-edge', $1, $2, 'in_progress')`, [
          key,
          await requestHashOf(key),
        ]);
      } finally {
        await client.end();
      }
      const response = await send({ url: '/v1/probes', headers: { 'idempotency-key': key }, payload: { name: 'stuck' } });
      expect(response.statusCode).toBe(409);
      expect(response.json()).toMatchObject({ code: 'IDEMPOTENCY_REQUEST_IN_PROGRESS' });
    });

    it.each([
      ['empty', ''],
      ['over 200 characters', 'k'.repeat(201)],
      ['not printable', 'key\u0001'],
    ])('refuses an Idempotency-Key that is %s with 400 VALIDATION_FAILED', async (_case, header) => {
      const response = await send({ url: '/v1/probes', headers: { 'idempotency-key': header }, payload: { name: 'x' } });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ code: 'VALIDATION_FAILED', details: { 'Idempotency-Key': expect.any(String) } });
    });

    it('does not apply to the admin routes', async () => {
      const key = newKey();
      const headers = { authorization: `Bearer ${ADMIN_KEY}`, 'idempotency-key': key };
      const first = await api.app.inject({ method: 'POST', url: '/v1/admin/api-keys', headers, payload: { role: 'broker', principalId: 'broker-admin-route' } });
      const again = await api.app.inject({ method: 'POST', url: '/v1/admin/api-keys', headers, payload: { role: 'broker', principalId: 'broker-admin-route' } });
      expect(first.statusCode).toBe(201);
      expect(again.statusCode).toBe(409);
      expect(again.json()).toMatchObject({ code: 'PRINCIPAL_EXISTS' });
    });
  });
});

/** The hash the edge computes for the 'stuck' probe request of broker-edge. */
async function requestHashOf(_key: string): Promise<string> {
  const { hashCommandRequest } = await import('../apps/ledger-api/src/http/idempotency/request-hash.js');
  return hashCommandRequest({ method: 'POST', path: '/v1/probes', principalId: 'broker-edge', body: { name: 'stuck' } });
}
