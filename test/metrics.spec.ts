/**
 * GET /metrics (Prometheus text format) and the lag in /health/ready, end to
 * end: parsed sample by sample, not matched as text.
 */
import { readLedgerConfig } from '#configuration';
import { createTestDatabase, type TestDatabase } from '#testing';
import { startLedgerApi, type RunningLedgerApi } from '../apps/ledger-api/src/ledger-api.js';

const ADMIN_KEY = 'test-admin-key-metrics-0123456789';
const SUBSCRIPTIONS = ['reservation-process-manager', 'listing-view', 'deal-view', 'journal', 'buy-request-view'];
/** Background work beside the subscriptions: it follows no log position, so it has no lag. */
const OTHER_BACKGROUND = ['deadline-enforcer'];

interface Sample {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly value: number;
}

/** The samples of the text exposition format (comments skipped); label values here hold no escaped quotes. */
function parseMetrics(text: string): Sample[] {
  return text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (match === null) throw new Error(`not a sample line: ${line}`);
      const labels = Object.fromEntries([...(match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="([^"]*)"/g)].map(([, name, value]) => [name!, value!]));
      return { name: match[1]!, labels, value: Number(match[3]) };
    });
}

const value = (samples: Sample[], name: string, labels: Record<string, string>): number | undefined =>
  samples.find((sample) => sample.name === name && Object.entries(labels).every(([key, expected]) => sample.labels[key] === expected))?.value;

describe('GET /metrics', () => {
  let api: RunningLedgerApi;
  let database: TestDatabase;

  const scrape = async (): Promise<Sample[]> => {
    const response = await api.app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    return parseMetrics(response.body);
  };
  const eventually = async <T>(read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 10_000): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const result = await read();
      if (accept(result)) return result;
      if (Date.now() > deadline) throw new Error(`not reached in ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  beforeAll(async () => {
    database = await createTestDatabase([]);
    api = await startLedgerApi(readLedgerConfig({ DATABASE_URL: database.url, PORT: '0', LEDGER_ADMIN_KEY: ADMIN_KEY }));
  });

  afterAll(async () => {
    await api?.close();
    await database?.drop();
  });

  it('is public, and reports each subscription: one state, not failed, its checkpoint, no lag once caught up', async () => {
    const submitted = await api.app.inject({
      method: 'POST',
      url: '/v1/listings',
      headers: { authorization: `Bearer ${ADMIN_KEY}` },
      payload: { sellerId: 'seller-acme', provider: 'openai', creditType: 'prepaid_api', providerOrgRef: 'org-1', faceValueCents: '1000', currency: 'USD', creditExpiresAt: '2030-06-01T00:00:00Z', askPriceCents: '600' },
    });
    expect(submitted.statusCode).toBe(201);
    const [commit, prepare] = submitted.json<{ position: string }>().position.split('.').map(Number);

    const samples = await eventually(scrape, (current) =>
      ['listing-view', 'deal-view', 'journal', 'buy-request-view'].every(
        (subscription) => value(current, 'ledger_subscription_lag_events', { subscription }) === 0 && value(current, 'ledger_subscription_checkpoint_commit', { subscription }) === commit,
      ),
    );

    for (const subscription of SUBSCRIPTIONS) {
      const states = samples.filter((sample) => sample.name === 'ledger_subscription_state' && sample.labels.subscription === subscription);
      expect(states.map((sample) => sample.labels.state).sort()).toEqual(['failed', 'running', 'standby', 'starting', 'stopped']);
      expect(states.filter((sample) => sample.value === 1).map((sample) => sample.labels.state)).toEqual(['running']);
      expect(value(samples, 'ledger_subscription_failed', { subscription })).toBe(0);
      expect(value(samples, 'ledger_subscription_lag_capped', { subscription })).toBe(0);
    }
    for (const subscription of ['listing-view', 'deal-view', 'journal', 'buy-request-view']) {
      expect(value(samples, 'ledger_subscription_checkpoint_prepare', { subscription })).toBe(prepare);
    }
    expect(value(samples, 'ledger_log_head_commit', {})).toBe(commit);
    expect(value(samples, 'ledger_log_head_prepare', {})).toBe(prepare);
    // The process manager handles reservations and deal endings only: a submission is nothing for it to do.
    expect(value(samples, 'ledger_subscription_lag_events', { subscription: 'reservation-process-manager' })).toBe(0);
    expect(samples.some((sample) => sample.name === 'ledger_process_resident_memory_bytes' || sample.name === 'ledger_nodejs_heap_size_used_bytes')).toBe(true);
  });

  it('counts answers and their latency per route pattern and status, never per id', async () => {
    const before = await scrape();
    const counted = (samples: Sample[], labels: Record<string, string>) => value(samples, 'ledger_http_requests_total', labels) ?? 0;
    const missingListing = '/v1/listings/00000000-0000-4000-8000-000000000000';
    for (let index = 0; index < 3; index += 1) {
      expect((await api.app.inject({ method: 'GET', url: missingListing, headers: { authorization: `Bearer ${ADMIN_KEY}` } })).statusCode).toBe(404);
    }
    expect((await api.app.inject({ method: 'GET', url: '/v1/listings', headers: { authorization: 'Bearer wrong' } })).statusCode).toBe(401);
    expect((await api.app.inject({ method: 'GET', url: '/no/such/route' })).statusCode).toBe(404);

    const after = await scrape();
    const notFound = { method: 'GET', route: '/v1/listings/:id', status: '404' };
    expect(counted(after, notFound) - counted(before, notFound)).toBe(3);
    expect(counted(after, { method: 'GET', route: '/v1/listings', status: '401' }) - counted(before, { method: 'GET', route: '/v1/listings', status: '401' })).toBe(1);
    expect(counted(after, { method: 'GET', route: 'unmatched', status: '404' }) - counted(before, { method: 'GET', route: 'unmatched', status: '404' })).toBe(1);
    expect(value(after, 'ledger_http_request_duration_seconds_count', notFound)).toBe(counted(after, notFound));
    expect(value(after, 'ledger_http_request_duration_seconds_bucket', { ...notFound, le: '+Inf' })).toBe(counted(after, notFound));
    expect(after.some((sample) => Object.values(sample.labels).some((label) => label.includes('00000000-0000')))).toBe(false);
    // Operational figures only: no amounts.
    expect(after.some((sample) => /cents|price|commission/i.test(sample.name))).toBe(false);
  });

  it('reports the lag in /health/ready too', async () => {
    const ready = await api.app.inject({ method: 'GET', url: '/health/ready' });
    expect(ready.statusCode).toBe(200);
    const background = ready.json<{ background: Array<{ name: string; lagEvents: number | null; lagCapped: boolean }> }>().background;
    expect(background.map((work) => work.name)).toEqual([...SUBSCRIPTIONS, ...OTHER_BACKGROUND]);
    for (const work of background.filter((each) => SUBSCRIPTIONS.includes(each.name))) {
      expect(work.lagEvents).toEqual(expect.any(Number));
      expect(work.lagCapped).toBe(false);
    }
  });
});
