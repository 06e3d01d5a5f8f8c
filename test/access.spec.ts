import pg from 'pg';
import { readLedgerConfig } from '#configuration';
import { createTestDatabase, type TestDatabase } from '#testing';
import { startLedgerApi, type RunningLedgerApi } from '../apps/ledger-api/src/ledger-api.js';
import { EdgeProbeModule } from './support/edge-probe.module.js';

const ADMIN_KEY = 'test-admin-key-0123456789abcdef';

/** API keys, roles, revocation, the admin key bootstrap and the rate limit, over HTTP on a real PostgreSQL. */
describe('access to the API', () => {
  let api: RunningLedgerApi;
  let database: TestDatabase;

  const start = (env: Record<string, string> = {}): Promise<RunningLedgerApi> =>
    startLedgerApi(readLedgerConfig({ DATABASE_URL: database.url, PORT: '0', LEDGER_ADMIN_KEY: ADMIN_KEY, ...env }), { imports: [EdgeProbeModule] });
  const bearer = (key: string): Record<string, string> => ({ authorization: `Bearer ${key}` });
  const issueKey = async (principalId: string, role: string): Promise<string> => {
    const response = await api.app.inject({ method: 'POST', url: '/v1/admin/api-keys', headers: bearer(ADMIN_KEY), payload: { role, principalId } });
    expect(response.statusCode).toBe(201);
    return response.json<{ key: string }>().key;
  };
  const activeAdminHashes = async (): Promise<string[]> => {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const result = await client.query<{ key_hash: string }>(`SELECT key_hash FROM api_keys WHERE principal_id = 'admin' AND revoked_at IS NULL`);
      return result.rows.map((row) => row.key_hash);
    } finally {
      await client.end();
    }
  };

  beforeAll(async () => {
    database = await createTestDatabase([]);
    api = await start();
  });

  afterAll(async () => {
    await api?.close();
    await database?.drop();
  });

  describe('authentication', () => {
    it.each([
      ['no Authorization header', {}],
      ['an unknown key', { authorization: 'Bearer lk_broker_unknownunknownunknownunknown00' }],
      ['another scheme', { authorization: `Basic ${ADMIN_KEY}` }],
      ['an empty bearer', { authorization: 'Bearer ' }],
    ])('answers 401 UNAUTHENTICATED with %s', async (_case, headers) => {
      const response = await api.app.inject({ method: 'GET', url: '/v1/probes/whoami', headers });
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual({ statusCode: 401, code: 'UNAUTHENTICATED', message: expect.any(String) });
    });

    it('answers 401 before 404: an unauthenticated caller learns nothing of the routes behind the guard', async () => {
      const response = await api.app.inject({ method: 'POST', url: '/v1/admin/api-keys', payload: { role: 'broker', principalId: 'x' } });
      expect(response.statusCode).toBe(401);
    });

    it('keeps the health routes public', async () => {
      expect((await api.app.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);
      expect((await api.app.inject({ method: 'GET', url: '/health/ready' })).statusCode).toBe(200);
    });

    it('gives controllers the principal of the key', async () => {
      const response = await api.app.inject({ method: 'GET', url: '/v1/probes/whoami', headers: bearer(ADMIN_KEY) });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ principalId: 'admin', role: 'admin' });
    });
  });

  describe('admin api-keys routes', () => {
    it('issues a broker key that authenticates at once, and shows it only in that answer', async () => {
      const response = await api.app.inject({
        method: 'POST',
        url: '/v1/admin/api-keys',
        headers: bearer(ADMIN_KEY),
        payload: { role: 'broker', principalId: 'broker-ada', label: 'Ada at Acme' },
      });

      expect(response.statusCode).toBe(201);
      const issued = response.json<{ key: string; principalId: string; role: string }>();
      expect(issued).toEqual({ key: expect.stringMatching(/^lk_broker_[A-Za-z0-9_-]{32}$/), principalId: 'broker-ada', role: 'broker' });
      const whoami = await api.app.inject({ method: 'GET', url: '/v1/probes/whoami', headers: bearer(issued.key) });
      expect(whoami.statusCode).toBe(200);
      expect(whoami.json()).toEqual({ principalId: 'broker-ada', role: 'broker' });
    });

    it('stores only a hash of the key', async () => {
      const key = await issueKey('broker-hash', 'broker');
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      try {
        const stored = await client.query(`SELECT * FROM api_keys WHERE principal_id = 'broker-hash'`);
        expect(JSON.stringify(stored.rows)).not.toContain(key);
        expect(stored.rows[0].key_hash).toMatch(/^[0-9a-f]{64}$/);
      } finally {
        await client.end();
      }
    });

    it('answers 409 PRINCIPAL_EXISTS when the principal already has an active key', async () => {
      await issueKey('broker-twice', 'broker');
      const again = await api.app.inject({ method: 'POST', url: '/v1/admin/api-keys', headers: bearer(ADMIN_KEY), payload: { role: 'broker', principalId: 'broker-twice' } });
      expect(again.statusCode).toBe(409);
      expect(again.json()).toMatchObject({ statusCode: 409, code: 'PRINCIPAL_EXISTS' });
    });

    it('revokes a key at once (204), and lets the principal get a new one', async () => {
      const key = await issueKey('broker-gone', 'broker');
      expect((await api.app.inject({ method: 'GET', url: '/v1/probes/whoami', headers: bearer(key) })).statusCode).toBe(200);

      const revoked = await api.app.inject({ method: 'DELETE', url: '/v1/admin/api-keys/broker-gone', headers: bearer(ADMIN_KEY) });

      expect(revoked.statusCode).toBe(204);
      expect(revoked.body).toBe('');
      const rejected = await api.app.inject({ method: 'GET', url: '/v1/probes/whoami', headers: bearer(key) });
      expect(rejected.statusCode).toBe(401);
      expect(rejected.json()).toMatchObject({ code: 'UNAUTHENTICATED' });
      const replacement = await issueKey('broker-gone', 'broker');
      expect((await api.app.inject({ method: 'GET', url: '/v1/probes/whoami', headers: bearer(replacement) })).statusCode).toBe(200);
    });

    it('revokes a key on every instance within moments, although each caches the keys it has seen', async () => {
      const other = await start();
      try {
        const key = await issueKey('broker-everywhere', 'broker');
        const whoami = (instance: RunningLedgerApi) => instance.app.inject({ method: 'GET', url: '/v1/probes/whoami', headers: bearer(key) });
        expect((await whoami(api)).statusCode).toBe(200);
        expect((await whoami(other)).statusCode).toBe(200);

        expect((await api.app.inject({ method: 'DELETE', url: '/v1/admin/api-keys/broker-everywhere', headers: bearer(ADMIN_KEY) })).statusCode).toBe(204);

        expect((await whoami(api)).statusCode).toBe(401);
        // The other instance hears of it by notification: well under a second, far below the cache's 5 s bound.
        const deadline = Date.now() + 1_000;
        let status = (await whoami(other)).statusCode;
        while (status !== 401 && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 20));
          status = (await whoami(other)).statusCode;
        }
        expect(status).toBe(401);
      } finally {
        await other.close();
      }
    });

    it('answers 404 NOT_FOUND when revoking a principal without an active key', async () => {
      const response = await api.app.inject({ method: 'DELETE', url: '/v1/admin/api-keys/nobody', headers: bearer(ADMIN_KEY) });
      expect(response.statusCode).toBe(404);
      expect(response.json()).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
    });

    it('refuses an unknown role and a malformed principal id, naming the fields', async () => {
      const response = await api.app.inject({
        method: 'POST',
        url: '/v1/admin/api-keys',
        headers: bearer(ADMIN_KEY),
        payload: { role: 'superuser', principalId: 'has spaces' },
      });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ code: 'VALIDATION_FAILED', details: { role: expect.any(String), principalId: expect.any(String) } });
    });
  });

  describe('roles', () => {
    it.each(['broker', 'compliance', 'dashboard'])('answers 403 FORBIDDEN to a %s on the admin routes', async (role) => {
      const key = await issueKey(`${role}-not-admin`, role);
      const response = await api.app.inject({ method: 'POST', url: '/v1/admin/api-keys', headers: bearer(key), payload: { role: 'admin', principalId: 'me-too' } });
      expect(response.statusCode).toBe(403);
      expect(response.json()).toMatchObject({ statusCode: 403, code: 'FORBIDDEN' });
    });

    it('answers 403 to a dashboard key on a broker command, and lets the broker through', async () => {
      const dashboard = await issueKey('dashboard-viewer', 'dashboard');
      const broker = await issueKey('broker-doer', 'broker');
      const payload = { name: 'x' };
      expect((await api.app.inject({ method: 'POST', url: '/v1/probes', headers: bearer(dashboard), payload })).statusCode).toBe(403);
      expect((await api.app.inject({ method: 'POST', url: '/v1/probes', headers: bearer(broker), payload })).statusCode).toBe(201);
    });
  });

  describe('rate limit', () => {
    it('answers 429 RATE_LIMITED with Retry-After once a key has used its requests of the minute, per key', async () => {
      const limited = await start({ LEDGER_RATE_LIMIT_PER_MINUTE: '3' });
      try {
        const broker = await issueKey('broker-busy', 'broker');
        const other = await issueKey('broker-calm', 'broker');
        const call = (key: string): ReturnType<typeof limited.app.inject> =>
          limited.app.inject({ method: 'GET', url: '/v1/probes/whoami', headers: bearer(key) });
        for (let i = 0; i < 3; i++) expect((await call(broker)).statusCode).toBe(200);

        const refused = await call(broker);

        expect(refused.statusCode).toBe(429);
        expect(refused.json()).toMatchObject({ statusCode: 429, code: 'RATE_LIMITED' });
        expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
        expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(20);
        expect((await call(other)).statusCode).toBe(200);
        expect((await limited.app.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);
      } finally {
        await limited.close();
      }
    });
  });

  // Last: these rotate the admin key the other tests use.
  describe('admin key bootstrap', () => {
    it('leaves the admin key as it is when an instance restarts with the same key', async () => {
      const before = await activeAdminHashes();
      const restarted = await start();
      try {
        expect(await activeAdminHashes()).toEqual(before);
        expect((await restarted.app.inject({ method: 'GET', url: '/v1/probes/whoami', headers: bearer(ADMIN_KEY) })).statusCode).toBe(200);
      } finally {
        await restarted.close();
      }
    });

    it('installs a changed LEDGER_ADMIN_KEY once when several instances start at once, retiring the old one', async () => {
      const newKey = 'rotated-admin-key-0123456789abcdef';
      const instances = await Promise.all([1, 2, 3].map(() => start({ LEDGER_ADMIN_KEY: newKey })));
      try {
        expect(await activeAdminHashes()).toHaveLength(1);
        expect((await instances[0]!.app.inject({ method: 'GET', url: '/v1/probes/whoami', headers: bearer(newKey) })).statusCode).toBe(200);
        expect((await api.app.inject({ method: 'GET', url: '/v1/probes/whoami', headers: bearer(ADMIN_KEY) })).statusCode).toBe(401);
      } finally {
        await Promise.all(instances.map((instance) => instance.close()));
      }
    });

    it('keeps a retired admin key retired: an instance still configured with it does not bring it back', async () => {
      const activeBefore = await activeAdminHashes();
      const stale = await start({ LEDGER_ADMIN_KEY: ADMIN_KEY });
      try {
        expect(await activeAdminHashes()).toEqual(activeBefore);
        expect((await stale.app.inject({ method: 'GET', url: '/v1/probes/whoami', headers: bearer(ADMIN_KEY) })).statusCode).toBe(401);
      } finally {
        await stale.close();
      }
    });
  });
});
