import { readLedgerConfig } from '#configuration';
import { createTestDatabase, type TestDatabase } from '#testing';
import { startLedgerApi, type RunningLedgerApi } from '../apps/ledger-api/src/ledger-api.js';

/** The API against the test run's PostgreSQL, through the same start-up as npm start. */
describe('health routes', () => {
  let api: RunningLedgerApi;
  let database: TestDatabase;

  beforeAll(async () => {
    // An empty database: the API's own start-up applies the migrations.
    database = await createTestDatabase([]);
    api = await startLedgerApi(readLedgerConfig({ DATABASE_URL: database.url, PORT: '0', LEDGER_ADMIN_KEY: 'test-admin-key-0123456789abcdef' }));
  });

  afterAll(async () => {
    await api?.close();
    await database?.drop();
  });
  it('applies the migrations on first start', () => {
    expect(api.database.appliedMigrations).toContain('CreateLedgerEvents1763900000000');
  });

  it('answers live without touching dependencies', async () => {
    const response = await api.app.inject({ method: 'GET', url: '/health/live' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('answers ready when the event store and the database answer, and 503 naming the store when it does not', async () => {
    const ready = await api.app.inject({ method: 'GET', url: '/health/ready' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({
      status: 'ok',
      background: [
        { name: 'reservation-process-manager', error: null },
        { name: 'listing-view', error: null },
        { name: 'deal-view', error: null },
        { name: 'journal', error: null },
        { name: 'buy-request-view', error: null },
        { name: 'deadline-enforcer', error: null },
      ],
    });

    await api.store.close();
    const unready = await api.app.inject({ method: 'GET', url: '/health/ready' });

    expect(unready.statusCode).toBe(503);
    expect(unready.json()).toMatchObject({ status: 'unavailable', checks: { eventStore: { status: 'down' }, database: { status: 'up' } } });
  });
});
