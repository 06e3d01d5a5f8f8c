/**
 * API keys against two API instances sharing one PostgreSQL: a revoked key is
 * refused from the very next request on either instance, although each
 * caches the keys it has seen; and no key, nor its SHA-256 digest, ever shows
 * in what the instances log or in the facts they record.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Logger, type LoggerService } from '@nestjs/common';
import pg from 'pg';
import { readLedgerConfig } from '#configuration';
import { createTestDatabase, type TestDatabase } from '#testing';
import { startLedgerApi, type RunningLedgerApi } from '../apps/ledger-api/src/ledger-api.js';
import { EdgeProbeModule } from './support/edge-probe.module.js';

const ADMIN_KEY = 'test-admin-key-0123456789abcdef';
const CREDITS_EXPIRE_AT = '2030-06-01T00:00:00.000Z';

/**
 * Everything the application logs: every call on Nest's Logger at every level
 * (this replaces the console logger, so levels the API does not print are
 * captured too), and every byte written to stdout and stderr (the background
 * worker thread, the deadline enforcer's report lines), passed through.
 */
const captured: string[] = [];
const capturingLogger: LoggerService = {
  log: (...args: unknown[]) => capture('log', args),
  error: (...args: unknown[]) => capture('error', args),
  warn: (...args: unknown[]) => capture('warn', args),
  debug: (...args: unknown[]) => capture('debug', args),
  verbose: (...args: unknown[]) => capture('verbose', args),
  fatal: (...args: unknown[]) => capture('fatal', args),
};

function capture(level: string, args: unknown[]): void {
  captured.push(`${level} ${args.map((arg) => (arg instanceof Error ? `${arg.message}\n${arg.stack}` : typeof arg === 'string' ? arg : JSON.stringify(arg))).join(' ')}`);
}

function captureStream(stream: NodeJS.WriteStream): () => void {
  const write = stream.write.bind(stream);
  stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    captured.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof stream.write;
  return () => {
    stream.write = write;
  };
}

const digestOf = (key: string): string => createHash('sha256').update(key, 'utf8').digest('hex');

describe('API keys across two instances', () => {
  let database: TestDatabase;
  let first: RunningLedgerApi;
  let second: RunningLedgerApi;
  const releaseStreams: Array<() => void> = [];

  const bearer = (key: string): Record<string, string> => ({ authorization: `Bearer ${key}` });
  const whoami = async (instance: RunningLedgerApi, key: string): Promise<number> =>
    (await instance.app.inject({ method: 'GET', url: '/v1/probes/whoami', headers: bearer(key) })).statusCode;
  const issueKey = async (instance: RunningLedgerApi, principalId: string, role: string): Promise<string> => {
    const response = await instance.app.inject({ method: 'POST', url: '/v1/admin/api-keys', headers: bearer(ADMIN_KEY), payload: { role, principalId } });
    expect(response.statusCode).toBe(201);
    return response.json<{ key: string }>().key;
  };
  const revoke = async (instance: RunningLedgerApi, principalId: string): Promise<void> => {
    expect((await instance.app.inject({ method: 'DELETE', url: `/v1/admin/api-keys/${principalId}`, headers: bearer(ADMIN_KEY) })).statusCode).toBe(204);
  };
  const query = async <Row extends Record<string, unknown>>(text: string): Promise<Row[]> => {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      return (await client.query<Row>(text)).rows;
    } finally {
      await client.end();
    }
  };

  beforeAll(async () => {
    Logger.overrideLogger(capturingLogger);
    releaseStreams.push(captureStream(process.stdout), captureStream(process.stderr));
    database = await createTestDatabase([]);
    const config = readLedgerConfig({ DATABASE_URL: database.url, PORT: '0', LEDGER_ADMIN_KEY: ADMIN_KEY, LEDGER_RATE_LIMIT_PER_MINUTE: '1000000' });
    first = await startLedgerApi(config, { imports: [EdgeProbeModule] });
    second = await startLedgerApi(config, { imports: [EdgeProbeModule] });
  });

  afterAll(async () => {
    await first?.close();
    await second?.close();
    await database?.drop();
    for (const release of releaseStreams) release();
  });

  describe('revocation', () => {
    // The cache of the instance that did not revoke hears of it by notification, which may come a moment after
    // the revoking request is answered; before this held, about half of these rounds let the next request through.
    it('refuses a revoked key from the very next request on both instances, whichever revoked it and however warm their caches', async () => {
      const letThrough: string[] = [];
      for (let round = 0; round < 20; round++) {
        const principalId = `broker-round-${round}`;
        const [revoking, other] = round % 2 === 0 ? [first, second] : [second, first];
        const key = await issueKey(revoking, principalId, 'broker');
        for (const instance of [first, second, first, second]) expect(await whoami(instance, key)).toBe(200);

        await revoke(revoking, principalId);

        const afterRevocation = { other: await whoami(other, key), revoking: await whoami(revoking, key) };
        if (afterRevocation.other !== 401 || afterRevocation.revoking !== 401) letThrough.push(`round ${round}: ${JSON.stringify(afterRevocation)}`);
      }
      expect(letThrough).toEqual([]);
    });

    it('refuses a revoked key to every request that arrives after the revocation, while many use it at once', async () => {
      const key = await issueKey(first, 'broker-busy', 'broker');
      const burst = (): Promise<number[]> => Promise.all(Array.from({ length: 20 }, (_, index) => whoami(index % 2 === 0 ? first : second, key)));
      expect(new Set(await burst())).toEqual(new Set([200]));

      await revoke(first, 'broker-busy');

      expect(new Set(await burst())).toEqual(new Set([401]));
    });
  });

  describe('key material', () => {
    it('appears in no log line, no recorded fact and no table but as the digest api_keys stores', async () => {
      const broker = await issueKey(first, 'broker-secretive', 'broker');
      const dashboard = await issueKey(second, 'dashboard-secretive', 'dashboard');
      const revoked = await issueKey(first, 'broker-revoked-secretive', 'broker');
      await revoke(second, 'broker-revoked-secretive');
      const unknown = `lk_broker_${randomBytes(24).toString('base64url')}`;
      const keys = { admin: ADMIN_KEY, broker, dashboard, revoked, unknown };
      const post = (instance: RunningLedgerApi, url: string, key: string, payload: object, headers: Record<string, string> = {}) =>
        instance.app.inject({ method: 'POST', url, payload, headers: { ...bearer(key), ...headers } });

      // Commands that record facts, on both instances, one with an Idempotency-Key (its answer is stored for replay).
      const submitted = await post(first, '/v1/listings', broker, listingBody(), { 'idempotency-key': 'listing-secretive' });
      expect(submitted.statusCode).toBe(201);
      const listingId = submitted.json<{ id: string }>().id;
      expect((await post(second, `/v1/listings/${listingId}/verification`, broker, verificationBody())).statusCode).toBe(200);
      const opened = await post(first, '/v1/deals', broker, { listingId, buyerId: 'buyer-globex', faceValueCents: '100000', priceCents: '60000', commissionBps: 1_000 });
      expect(opened.statusCode).toBe(201);
      expect((await post(second, '/v1/deals', ADMIN_KEY, { listingId, buyerId: 'buyer-initech', brokerId: 'broker-secretive', faceValueCents: '1000', priceCents: '600', commissionBps: 1_000 })).statusCode).toBe(201);

      // Requests that fail, in every way a key can: unknown, revoked, under another scheme, a role not allowed,
      // and keys that are fine on requests that are not (400, 404, 409), plus an error on our side that is logged (500).
      const failures = await Promise.all([
        post(first, '/v1/listings', unknown, listingBody()),
        post(second, '/v1/listings', revoked, listingBody()),
        first.app.inject({ method: 'GET', url: '/v1/listings', headers: { authorization: `Basic ${broker}` } }),
        first.app.inject({ method: 'GET', url: '/v1/listings', headers: { authorization: `Bearer ${broker} ${dashboard}` } }),
        post(second, '/v1/listings', dashboard, listingBody()),
        post(first, '/v1/admin/api-keys', broker, { role: 'admin', principalId: 'broker-secretive-admin' }),
        post(second, '/v1/listings', broker, { ...listingBody(), faceValueCents: 'lots' }),
        post(first, `/v1/deals/${opened.json<{ id: string }>().id}/payments`, broker, { amountCents: '1', paymentRef: 'too-early' }),
        first.app.inject({ method: 'GET', url: '/v1/listings/00000000-0000-4000-8000-000000000000', headers: bearer(dashboard) }),
        post(first, '/v1/probes/flaky', broker, { name: 'fails once on our side' }),
      ]);
      expect(failures.map((response) => response.statusCode)).toEqual([401, 401, 401, 401, 403, 403, 400, 409, 404, 500]);

      const secrets = Object.entries(keys).flatMap(([name, key]) => [
        { name: `${name} key`, text: key },
        { name: `${name} key digest`, text: digestOf(key) },
      ]);
      const logs = captured.join('\n');
      expect(logs).toContain('INTERNAL_ERROR on POST /v1/probes/flaky');
      const events = await query<{ text: string }>('SELECT data::text || metadata::text AS text FROM ledger_events');
      expect(events.length).toBeGreaterThanOrEqual(5);
      const tables = await query<{ table_name: string }>(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> 'api_keys'`,
      );
      const rowsByTable = await Promise.all(tables.map(async ({ table_name }) => ({ table: table_name, rows: await query<{ text: string }>(`SELECT t::text AS text FROM "${table_name}" t`) })));

      const leaks = secrets.flatMap((secret) => [
        ...(logs.includes(secret.text) ? [`${secret.name} in the logs`] : []),
        ...events.filter((event) => event.text.includes(secret.text)).map(() => `${secret.name} in a recorded fact`),
        ...rowsByTable.filter(({ rows }) => rows.some((row) => row.text.includes(secret.text))).map(({ table }) => `${secret.name} in table ${table}`),
      ]);
      expect(leaks).toEqual([]);
    });
  });
});

function listingBody(): object {
  return {
    sellerId: 'seller-acme',
    provider: 'openai',
    creditType: 'prepaid_api',
    providerOrgRef: 'org-acme-123',
    faceValueCents: '1000000',
    currency: 'USD',
    creditExpiresAt: CREDITS_EXPIRE_AT,
    askPriceCents: '600000',
  };
}

function verificationBody(): object {
  return {
    verifiedFaceValueCents: '1000000',
    verifiedExpiresAt: CREDITS_EXPIRE_AT,
    evidence: { method: 'provider_dashboard', reference: 'screenshot-42', checkedAt: '2026-11-20T09:00:00Z' },
  };
}
