/**
 * Latency benchmark of the match suggestions, GET /v1/buy-requests/:id/matches
 * (a measurement, not a test: it exits 0 whether or not the target is met).
 *
 *   npm run bench:matching                              embedded PostgreSQL in a temp folder
 *   DATABASE_URL=postgres://... npm run bench:matching  a fresh database on that server, dropped at the end
 *   BENCH_LISTINGS=10000 npm run bench:matching         a quick run (default 100,000 listings)
 *   BENCH_REQUESTS, BENCH_QUERIES                       requests placed (default 2,000), queries timed (default 3,000)
 *
 * 1. Seeds the market by events, decided and encoded by the domain's own
 *    deciders and appended with store.append: BENCH_LISTINGS listings
 *    submitted and verified (a tenth of them partly reserved) across five
 *    providers and the six credit types, with asks from 25 to 95 percent of
 *    face value and credits expiring in 4 to 400 days; then BENCH_REQUESTS
 *    buy requests of one to three credit types each.
 * 2. Projects them with the real projections (listing-view and
 *    buy-request-view as DurableSubscriptions with the production
 *    settings), then VACUUM ANALYZE, as autovacuum would.
 * 3. Times the query handler of the route (BuyRequestMatchesQueryHandler,
 *    the handler the QueryBus runs for it, on a pg pool; no HTTP) for
 *    BUY_REQUEST_QUERIES requests drawn at random, limit 20: one at a time
 *    for the latency, then with as many in flight as the machine has CPUs
 *    for the throughput. The other direction (GET /v1/listings/:id/matches)
 *    is timed the same way, for information.
 * The embedded server runs with durable settings (no unsafeFast).
 */
import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import {
  CREDIT_TYPES,
  DEFAULT_LISTING_POLICY,
  buyRequestDecider,
  buyRequestStreamId,
  listingDecider,
  listingStreamId,
  type BuyRequestCommand,
  type ListingCommand,
} from '#domain';
import { PostgresEventStore, comparePositions, type EventStore, type EventToAppend, type LogPosition } from '#event-store';
import { ledgerMigrations } from '../src/database/ledger-migrations.js';
import { buyRequestViewProjection } from '../src/projections/buy-request-view.js';
import { listingViewProjection } from '../src/projections/listing-view.js';
import { BuyRequestMatchesQuery, BuyRequestMatchesQueryHandler, ListingMatchesQuery, ListingMatchesQueryHandler } from '../src/queries/match-suggestions.js';
import type { ReadModelDatabase } from '../src/queries/read-model-database.js';
import { ProjectionCatchUp } from '../src/queries/read-your-writes.js';
import { DurableSubscription } from '../src/subscriptions/durable-subscription.js';
import { envPositiveInteger, runBenchSession, type BenchDatabase } from '../../testing/src/bench/bench-session.js';
import { decideEvents } from '../../testing/src/decided-events.js';

const TARGET_P99_MS = 50;
const LISTINGS = envPositiveInteger('BENCH_LISTINGS', 100_000);
const REQUESTS = envPositiveInteger('BENCH_REQUESTS', 2_000);
const QUERIES = envPositiveInteger('BENCH_QUERIES', 3_000);
const LIMIT = 20;
const SEED_WORKERS = 8;
const CONCURRENCY = availableParallelism();
/** The subscription pool of the API and the worker. */
const SUBSCRIPTION_POOL_MAX = 6;

const NOW = new Date();
const DAY_MS = 86_400_000;
/** Half the market is openai's (shared/DOMAIN.md: openai first), the rest spread over four others. */
const PROVIDERS = ['openai', 'openai', 'openai', 'openai', 'anthropic', 'google', 'mistral', 'cohere'] as const;

// ---------------------------------------------------------------- seeding

/** A deterministic generator, so that two runs seed the same market. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
const rand = random(20_261_123);
const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
const between = (min: number, max: number): number => min + Math.floor(rand() * (max - min + 1));

function metadata(): EventToAppend['metadata'] {
  return { actorId: 'broker-bench', actorRole: 'broker', correlationId: randomUUID(), causationId: null, occurredAt: NOW.toISOString(), schemaVersion: 1 };
}

function listingCommands(n: number): { streamId: string; commands: ListingCommand[] } {
  const listingId = randomUUID();
  const verified = BigInt(between(10, 10_000)) * 1_000n;
  // Round prices are common on a real board (ties for the tie-breaks), the rest anywhere from 25 to 95 percent.
  const priceBps = rand() < 0.3 ? pick([4_000, 5_000, 6_000, 7_000]) : between(2_500, 9_500);
  const expires = new Date(NOW.getTime() + between(4 * 24, 400 * 24) * 3_600_000);
  const commands: ListingCommand[] = [
    {
      type: 'SubmitListing',
      submittedBy: 'broker-ana',
      listingId,
      sellerId: `seller-${n % 997}`,
      provider: pick(PROVIDERS),
      creditType: pick(CREDIT_TYPES),
      providerOrgRef: `org-${n}`,
      currency: 'USD',
      claimedFaceValueCents: verified,
      creditExpiresAt: expires,
      askPriceCents: (verified * BigInt(priceBps)) / 10_000n,
    },
    {
      type: 'VerifyListing',
      listingId,
      verifiedBy: 'ops-verifier',
      verifiedFaceValueCents: verified,
      verifiedExpiresAt: expires,
      evidence: { method: 'provider_console', reference: `ticket-${n}`, checkedAt: NOW },
    },
  ];
  if (rand() < 0.1) {
    commands.push({
      type: 'ReserveListing',
      listingId,
      dealId: randomUUID(),
      faceValueCents: verified / 2n,
      priceCents: (verified * BigInt(priceBps)) / 20_000n + 1n,
      match: { buyerId: `buyer-${n % 4_999}`, brokerId: 'broker-bench', commissionBps: 1_000, buyRequestId: null },
    });
  }
  return { streamId: listingStreamId(listingId), commands };
}

function requestCommands(n: number): { streamId: string; buyRequestId: string; commands: BuyRequestCommand[] } {
  const buyRequestId = randomUUID();
  const creditTypes = [...CREDIT_TYPES].sort(() => rand() - 0.5).slice(0, between(1, 3));
  return {
    streamId: buyRequestStreamId(buyRequestId),
    buyRequestId,
    commands: [
      {
        type: 'PlaceBuyRequest',
        placedBy: 'broker-ana',
        buyRequestId,
        buyerId: `buyer-${n % 4_999}`,
        provider: pick(PROVIDERS),
        creditTypes,
        faceValueCents: BigInt(between(100, 50_000)) * 1_000n,
        maxPriceBps: between(4_000, 8_000),
        minValidityDays: pick([0, 7, 30, 60, 90, 180]),
        deadline: new Date(NOW.getTime() + between(1, 60) * DAY_MS),
      },
    ],
  };
}

/** Appends streams with SEED_WORKERS appenders; returns the highest position written. */
async function appendAll(store: EventStore, count: number, make: (n: number) => { streamId: string; events: EventToAppend[] }, label: string): Promise<LogPosition> {
  let next = 0;
  let highest: LogPosition = { commit: 0n, prepare: 0n };
  let lastReport = performance.now();
  await Promise.all(
    Array.from({ length: SEED_WORKERS }, async () => {
      while (next < count) {
        const { streamId, events } = make(next++);
        const { position } = await store.append(streamId, events, 'no_stream');
        if (comparePositions(position, highest) > 0) highest = position;
        if (performance.now() - lastReport > 5_000) {
          lastReport = performance.now();
          console.error(`  appended ${next.toLocaleString('en-US')} / ${count.toLocaleString('en-US')} ${label}`);
        }
      }
    }),
  );
  return highest;
}

/** The real projections, as the API and the worker run them, from an empty read side to `head`. */
async function project(url: string, store: EventStore, head: LogPosition): Promise<number> {
  const pool = new pg.Pool({ connectionString: url, max: SUBSCRIPTION_POOL_MAX });
  pool.on('error', reportIdleError);
  const subscriptions = [listingViewProjection(), buyRequestViewProjection()].map((subscriber) => new DurableSubscription(pool, store, subscriber));
  const started = performance.now();
  try {
    for (const subscription of subscriptions) subscription.start();
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      const statuses = subscriptions.map((subscription) => subscription.status());
      const failed = statuses.find((status) => status.state === 'failed');
      if (failed !== undefined) throw new Error(`${failed.name} failed: ${failed.error}`);
      if (statuses.every((status) => status.position !== null && comparePositions(status.position, head) >= 0)) break;
    }
  } finally {
    await Promise.all(subscriptions.map((subscription) => subscription.stop()));
    await pool.end();
  }
  return (performance.now() - started) / 1_000;
}

// ---------------------------------------------------------------- measuring

interface Timing {
  readonly samples: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly meanMs: number;
  readonly queriesPerSec: number;
  /** Suggestions per answer, on average. */
  readonly meanItems: number;
}

function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!;
}

/** Runs `query` for every id, `inFlight` at a time; the latency of each and the overall rate. */
async function time(ids: readonly string[], inFlight: number, query: (id: string) => Promise<unknown[] | null>): Promise<Timing> {
  const latencies: number[] = [];
  let items = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < ids.length) {
        const id = ids[next++]!;
        const before = performance.now();
        const answer = await query(id);
        latencies.push(performance.now() - before);
        if (answer === null) throw new Error(`no such id ${id}`);
        items += answer.length;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1_000;
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    samples: sorted.length,
    p50Ms: percentile(sorted, 0.5),
    p90Ms: percentile(sorted, 0.9),
    p99Ms: percentile(sorted, 0.99),
    maxMs: sorted.at(-1)!,
    meanMs: sorted.reduce((sum, value) => sum + value, 0) / sorted.length,
    queriesPerSec: sorted.length / seconds,
    meanItems: items / sorted.length,
  };
}

/** The plan of the candidate read of one request, as PostgreSQL ran it. */
async function explainOne(pool: pg.Pool, handler: (database: ReadModelDatabase) => Promise<unknown>): Promise<string[]> {
  const plans: string[] = [];
  const explaining: ReadModelDatabase = {
    async query(sql, parameters) {
      // The candidate reads; not the lookup of the request or listing itself.
      if (sql.includes('CROSS JOIN LATERAL')) {
        const plan = await pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, parameters as unknown[]);
        plans.push(...plan.rows.map((row) => row['QUERY PLAN']));
      }
      return pool.query(sql, parameters as unknown[]);
    },
  };
  await handler(explaining);
  return plans;
}

function reportIdleError(error: Error): void {
  console.error(`idle connection error: ${error.message}`);
}

// ---------------------------------------------------------------- main

async function runBench(database: BenchDatabase, source: string): Promise<void> {
  const storePool = new pg.Pool({ connectionString: database.url, max: SEED_WORKERS });
  storePool.on('error', reportIdleError);
  const store = new PostgresEventStore(storePool);
  const queryPool = new pg.Pool({ connectionString: database.url, max: CONCURRENCY });
  queryPool.on('error', reportIdleError);
  try {
    console.log(`seeding ${LISTINGS.toLocaleString('en-US')} listings and ${REQUESTS.toLocaleString('en-US')} buy requests by events (${SEED_WORKERS} concurrent appenders) ...`);
    const seedStarted = performance.now();
    const listingIds: string[] = [];
    const listingHead = await appendAll(
      store,
      LISTINGS,
      (n) => {
        const { streamId, commands } = listingCommands(n);
        listingIds.push(streamId.slice('listing-'.length));
        return { streamId, events: decideEvents(listingDecider, commands, NOW, metadata).events };
      },
      'listings',
    );
    const requestIds: string[] = [];
    const requestHead = await appendAll(
      store,
      REQUESTS,
      (n) => {
        const { streamId, buyRequestId, commands } = requestCommands(n);
        requestIds.push(buyRequestId);
        return { streamId, events: decideEvents(buyRequestDecider, commands, NOW, metadata).events };
      },
      'buy requests',
    );
    const seedSeconds = (performance.now() - seedStarted) / 1_000;
    const head = comparePositions(listingHead, requestHead) > 0 ? listingHead : requestHead;
    console.log(`seeded in ${seedSeconds.toLocaleString('en-US', { maximumFractionDigits: 1 })} s; projecting ...`);
    const projectSeconds = await project(database.url, store, head);
    await queryPool.query('VACUUM ANALYZE listing_view');
    await queryPool.query('VACUUM ANALYZE buy_request_view');
    const counts = (
      await queryPool.query<{ listings: string; available: string; requests: string }>(
        `SELECT (SELECT count(*) FROM listing_view)::text AS listings,
                (SELECT count(*) FROM listing_view WHERE status = 'available' AND available_face_value_cents > 0)::text AS available,
                (SELECT count(*) FROM buy_request_view WHERE status = 'open')::text AS requests`,
      )
    ).rows[0]!;
    console.log(`projected in ${projectSeconds.toLocaleString('en-US', { maximumFractionDigits: 1 })} s; timing ...`);

    const settings = { listingPolicy: DEFAULT_LISTING_POLICY };
    const catchUp = new ProjectionCatchUp(async () => new Map());
    const byRequest = new BuyRequestMatchesQueryHandler(queryPool, catchUp, settings);
    const byListing = new ListingMatchesQueryHandler(queryPool, catchUp, settings);
    const ofRequest = (id: string) => byRequest.execute(new BuyRequestMatchesQuery(id, LIMIT, NOW));
    const ofListing = (id: string) => byListing.execute(new ListingMatchesQuery(id, LIMIT, NOW));
    const draw = (ids: readonly string[]) => Array.from({ length: QUERIES }, () => pick(ids));

    // Warm the caches and the pool, as a running API is.
    await time(draw(requestIds).slice(0, 200), CONCURRENCY, ofRequest);
    const sequential = await time(draw(requestIds), 1, ofRequest);
    const concurrent = await time(draw(requestIds), CONCURRENCY, ofRequest);
    await time(draw(listingIds).slice(0, 200), CONCURRENCY, ofListing);
    const listingSequential = await time(draw(listingIds), 1, ofListing);

    const sample = requestIds[0]!;
    const plans = await explainOne(queryPool, (explaining) => new BuyRequestMatchesQueryHandler(explaining, catchUp, settings).execute(new BuyRequestMatchesQuery(sample, LIMIT, NOW)));
    const listingPlans = await explainOne(queryPool, (explaining) => new ListingMatchesQueryHandler(explaining, catchUp, settings).execute(new ListingMatchesQuery(listingIds[0]!, LIMIT, NOW)));
    report({ database, source, seedSeconds, projectSeconds, counts, sequential, concurrent, listingSequential, plans, listingPlans });
  } finally {
    await queryPool.end().catch(() => undefined);
    await store.close().catch(() => undefined);
  }
}

interface Report {
  readonly database: BenchDatabase;
  readonly source: string;
  readonly seedSeconds: number;
  readonly projectSeconds: number;
  readonly counts: { listings: string; available: string; requests: string };
  readonly sequential: Timing;
  readonly concurrent: Timing;
  readonly listingSequential: Timing;
  readonly plans: string[];
  readonly listingPlans: string[];
}

function report({ database, source, seedSeconds, projectSeconds, counts, sequential, concurrent, listingSequential, plans, listingPlans }: Report): void {
  const num = (value: number, digits = 0) => value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  const round = (value: number) => Math.round(value * 100) / 100;
  const line = (label: string, t: Timing) =>
    `  ${label.padEnd(34)} p50 ${num(t.p50Ms, 2).padStart(6)} ms  p90 ${num(t.p90Ms, 2).padStart(6)} ms  p99 ${num(t.p99Ms, 2).padStart(6)} ms  max ${num(t.maxMs, 1).padStart(6)} ms  ${num(t.queriesPerSec).padStart(6)} queries/s  ${num(t.meanItems, 1)} items`;
  const lines = [
    `server   ${database.server}`,
    `source   ${source}`,
    `settings ${Object.entries(database.settings).map(([k, v]) => `${k}=${v}`).join(' ')}`,
    `client   node ${process.version}, ${availableParallelism()} CPUs`,
    `market   ${num(Number(counts.listings))} listings (${num(Number(counts.available))} on the market), ${num(Number(counts.requests))} open buy requests; seeded by events in ${num(seedSeconds, 1)} s, projected in ${num(projectSeconds, 1)} s`,
    '',
    `GET /v1/buy-requests/:id/matches?limit=${LIMIT} (BuyRequestMatchesQueryHandler, no HTTP)`,
    line('one at a time', sequential),
    line(`${CONCURRENCY} in flight`, concurrent),
    `GET /v1/listings/:id/matches?limit=${LIMIT} (ListingMatchesQueryHandler, for information)`,
    line('one at a time', listingSequential),
    '',
    'plan of one request\'s candidate read (EXPLAIN ANALYZE, BUFFERS):',
    ...plans.map((text) => `  ${text}`),
    'plan of one listing\'s candidate read (EXPLAIN ANALYZE, BUFFERS):',
    ...listingPlans.map((text) => `  ${text}`),
    `target   p99 <= ${TARGET_P99_MS} ms${' '.repeat(12)}${num(sequential.p99Ms, 2).padStart(8)}  ${sequential.p99Ms <= TARGET_P99_MS ? 'PASS' : 'BELOW'}`,
  ];
  console.log(lines.join('\n'));
  const figures = (t: Timing) => ({
    samples: t.samples,
    p50Ms: round(t.p50Ms),
    p90Ms: round(t.p90Ms),
    p99Ms: round(t.p99Ms),
    maxMs: round(t.maxMs),
    meanMs: round(t.meanMs),
    queriesPerSec: round(t.queriesPerSec),
    meanItems: round(t.meanItems),
  });
  console.log(
    JSON.stringify({
      bench: 'matching',
      server: database.server,
      source,
      settings: database.settings,
      listings: Number(counts.listings),
      listingsOnTheMarket: Number(counts.available),
      openBuyRequests: Number(counts.requests),
      seedSeconds: round(seedSeconds),
      projectSeconds: round(projectSeconds),
      limit: LIMIT,
      buyRequestMatches: { sequential: figures(sequential), concurrent: { inFlight: CONCURRENCY, ...figures(concurrent) } },
      listingMatches: { sequential: figures(listingSequential) },
      target: { p99Ms: TARGET_P99_MS, actual: round(sequential.p99Ms), pass: sequential.p99Ms <= TARGET_P99_MS },
    }),
  );
}

await runBenchSession({
  migrations: ledgerMigrations,
  async measure(database, source) {
    await runBench(database, source);
  },
});
