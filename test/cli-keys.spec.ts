/**
 * `keys create` and `keys revoke` on the ledger's PostgreSQL, checked over
 * HTTP against a running API: a key the CLI made authenticates at once, and
 * one it revoked is refused from the next request (the running instance
 * hears of it through the revocation NOTIFY, as of an HTTP revocation).
 */
import { readLedgerConfig } from '#configuration';
import { createTestDatabase, type TestDatabase } from '#testing';
import { startLedgerApi, type RunningLedgerApi } from '../apps/ledger-api/src/ledger-api.js';
import { runCli } from './support/cli-process.js';

const ADMIN_KEY = 'test-admin-key-cli-keys-0123456789';

describe('keys create and revoke from the CLI', () => {
  let database: TestDatabase;
  let api: RunningLedgerApi;
  const summaryStatus = async (key: string): Promise<number> =>
    (await fetch(`${api.url}/v1/dashboard/summary`, { headers: { authorization: `Bearer ${key}` } })).status;
  const keys = (...args: string[]): ReturnType<typeof runCli> => runCli(['keys', ...args], { DATABASE_URL: database.url });

  beforeAll(async () => {
    database = await createTestDatabase([]);
    api = await startLedgerApi(readLedgerConfig({ DATABASE_URL: database.url, PORT: '0', LEDGER_ADMIN_KEY: ADMIN_KEY }));
  });

  afterAll(async () => {
    await api?.close();
    await database?.drop();
  });

  it('prints a new key once, which the running API accepts for its role at once, and refuses from the request after its revocation', async () => {
    const created = await keys('create', '--role', 'dashboard', '--principal', 'wallboard-1', '--label', 'the office wallboard');
    expect(created).toMatchObject({ exitCode: 0 });
    const key = created.stdout.trim();
    expect(key).toMatch(/^lk_dashboard_[A-Za-z0-9_-]{32}$/);
    expect(created.stderr).toContain('wallboard-1');
    expect(created.stderr).not.toContain(key);

    expect(await summaryStatus(key)).toBe(200);
    // Its role is the one asked for: a dashboard key may not issue keys.
    const issue = await fetch(`${api.url}/v1/admin/api-keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'admin', principalId: 'sneaky' }),
    });
    expect(issue.status).toBe(403);

    expect(await keys('revoke', 'wallboard-1')).toMatchObject({ exitCode: 0 });
    const refused = await fetch(`${api.url}/v1/dashboard/summary`, { headers: { authorization: `Bearer ${key}` } });
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('makes a key the API accepts as a broker key for commands', async () => {
    const created = await keys('create', '--role', 'broker', '--principal', 'broker-cli');
    expect(created.exitCode).toBe(0);
    const answer = await fetch(`${api.url}/v1/buy-requests`, {
      method: 'POST',
      headers: { authorization: `Bearer ${created.stdout.trim()}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        buyerId: 'buyer-globex',
        provider: 'openai',
        creditTypes: ['prepaid_api'],
        faceValueCents: '100000',
        maxPriceBps: 6_000,
        minValidityDays: 30,
        deadline: new Date(Date.now() + 86_400_000).toISOString(),
      }),
    });
    expect(answer.status).toBe(201);
  });

  it('refuses a second active key for a principal, an unknown revocation, and a role outside the list, with exit code 2', async () => {
    expect((await keys('create', '--role', 'compliance', '--principal', 'auditor-1')).exitCode).toBe(0);
    const again = await keys('create', '--role', 'compliance', '--principal', 'auditor-1');
    expect(again).toMatchObject({ exitCode: 2, stdout: '' });
    expect(again.stderr).toContain('already has an active key');

    const unknown = await keys('revoke', 'nobody-here');
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain('has no active key');

    const badRole = await keys('create', '--role', 'superuser', '--principal', 'x-1');
    expect(badRole.exitCode).toBe(2);
    expect(badRole.stderr).toContain('broker, compliance, dashboard, admin');

    const badPrincipal = await keys('create', '--role', 'broker', '--principal', 'no spaces allowed');
    expect(badPrincipal.exitCode).toBe(2);
  });

  it('needs DATABASE_URL', async () => {
    const run = await runCli(['keys', 'revoke', 'auditor-1']);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('DATABASE_URL is required');
  });
});
