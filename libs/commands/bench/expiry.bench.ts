/**
 * Expiry enforcement benchmark (issue 6; a measurement, not a test: it exits
 * 0 whether or not the target is met).
 *
 *   npm run bench:expiry                              embedded PostgreSQL in a temp folder
 *   DATABASE_URL=postgres://... npm run bench:expiry  a fresh database on that server, dropped at the end
 *   BENCH_DEADLINES=10000 npm run bench:expiry        a quick run (default 100,000)
 *   BENCH_ENFORCERS=2 npm run bench:expiry            two enforcers sweeping at once, without a leader (default 1)
 *   BENCH_CONCURRENCY=64 npm run bench:expiry         commands in flight per enforcer (default the production 32)
 *
 * 1. Seeds the log with streams whose deadlines all fall due at the same
 *    instant D, decided and encoded by the domain's own deciders: 80% deals
 *    awaiting approval (opened D - 48 h before), 10% verified listings
 *    (credits expiring D + the 72-hour margin), 10% buy requests (deadline D).
 * 2. Catches the stream views (which keep the deadlines) up from an empty read side (each a
 *    DurableSubscription with the production settings), and checks they hold
 *    one row per stream.
 * 3. Moves the clock to D and runs the enforcer as the API and the worker
 *    do (the CommandBus of LedgerCommandsModule, an event store with the
 *    production pool of 20, pages of 1,000, 32 commands at once) while the
 *    projection keeps running: the time until one sweep has enforced every
 *    deadline, then the time until the projection has emptied the read
 *    model. The target: 100,000 deadlines enforced in 60 s or less.
 * 4. Counts the expiry facts in the log: exactly one per stream.
 * The embedded server runs with durable settings (no unsafeFast).
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { NestFactory } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import pg from 'pg';
import { buyRequestStreamId, dealStreamId, listingStreamId, type BuyRequestCommand, type DealCommand, type ListingCommand } from '#domain';
import { PostgresEventStore, comparePositions, type EventStore, type EventToAppend } from '#event-store';
import { DurableSubscription, buyRequestViewProjection, dealViewProjection, ledgerMigrations, listingViewProjection, postgresDueDeadlines } from '#read-models';
import { DEADLINE_CONCURRENCY, DEADLINE_PAGE_SIZE, DeadlineEnforcer, type SweepReport } from '../src/deadlines/deadline-enforcer.js';
import { createLedgerDeciders } from '../src/ledger-command-settings.js';
import { LedgerCommandsModule } from '../src/ledger-commands.module.js';
import { envPositiveInteger, runBenchSession, type BenchDatabase } from '../../testing/src/bench/bench-session.js';
import { decideEvents, type EncodingDecider } from '../../testing/src/decided-events.js';

const TARGET = { deadlines: 100_000, seconds: 60 } as const;
const DEADLINES = envPositiveInteger('BENCH_DEADLINES', TARGET.deadlines);
const ENFORCERS = envPositiveInteger('BENCH_ENFORCERS', 1);
const CONCURRENCY = envPositiveInteger('BENCH_CONCURRENCY', DEADLINE_CONCURRENCY);
const SEED_WORKERS = 8;
/** The production pools: openEventStore's (20) and the subscriptions' (6). */
const STORE_POOL_MAX = 20;
const SUBSCRIPTION_POOL_MAX = 6;

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const POLICIES = { expiryMarginMs: 72 * HOUR_MS, approvalWindowMs: 48 * HOUR_MS } as const;
const deciders = createLedgerDeciders(POLICIES);
/** The seeding happens at T0; every deadline falls due at D. */
const T0 = new Date('2026-11-23T10:00:00.000Z');
const D = new Date(T0.getTime() + 3 * DAY_MS);
const EXPIRY_TYPES = ['DealExpired', 'ListingExpired', 'BuyRequestExpired'] as const;

// ---------------------------------------------------------------- seeding

function metadata(): EventToAppend['metadata'] {
  return { actorId: 'broker-bench', actorRole: 'broker', correlationId: randomUUID(), causationId: null, occurredAt: T0.toISOString(), schemaVersion: 1 };
}

async function seedStream<State, Command, Event>(store: EventStore, decider: EncodingDecider<State, Command, Event>, streamId: string, commands: readonly Command[], at: Date): Promise<number> {
  const { events } = decideEvents(decider, commands, at, metadata);
  await store.append(streamId, events, 'no_stream');
  return events.length;
}

type Kind = 'deal' | 'listing' | 'buy request';

/** Deadline n: 8 of every 10 a deal, then a listing, then a buy request. */
function kindOf(n: number): Kind {
  const slot = n % 10;
  return slot < 8 ? 'deal' : slot === 8 ? 'listing' : 'buy request';
}

async function seedDeadline(store: EventStore, n: number): Promise<number> {
  const id = randomUUID();
  switch (kindOf(n)) {
    case 'deal': {
      const openedAt = new Date(D.getTime() - POLICIES.approvalWindowMs);
      const commands: DealCommand[] = [
        {
          type: 'OpenDeal',
          dealId: id,
          listingId: randomUUID(),
          sellerId: `seller-${n % 997}`,
          buyerId: `buyer-${n % 4_999}`,
          brokerId: `broker-${n % 13}`,
          currency: 'USD',
          faceValueCents: 80_000n,
          priceCents: 50_000n,
          commissionBps: 1_000,
          creditExpiresAt: new Date(D.getTime() + 30 * DAY_MS),
        },
        { type: 'ApproveDeal', dealId: id, party: 'seller', termsVersion: 1, approvedBy: 'seller-contact' },
      ];
      return seedStream(store, deciders.deal, dealStreamId(id), commands, openedAt);
    }
    case 'listing': {
      const creditExpiresAt = new Date(D.getTime() + POLICIES.expiryMarginMs);
      const commands: ListingCommand[] = [
        { type: 'SubmitListing', submittedBy: 'broker-ana', listingId: id, sellerId: `seller-${n % 997}`, provider: 'openai', creditType: 'prepaid_api', providerOrgRef: `org-${n}`, currency: 'USD', claimedFaceValueCents: 1_000_000n, creditExpiresAt, askPriceCents: 700_000n },
        { type: 'VerifyListing', listingId: id, verifiedBy: 'ops', verifiedFaceValueCents: 1_000_000n, verifiedExpiresAt: creditExpiresAt, evidence: { method: 'provider_console', reference: `ticket-${n}`, checkedAt: T0 } },
      ];
      return seedStream(store, deciders.listing, listingStreamId(id), commands, T0);
    }
    case 'buy request': {
      const commands: BuyRequestCommand[] = [
        { type: 'PlaceBuyRequest', placedBy: 'broker-ana', buyRequestId: id, buyerId: `buyer-${n % 4_999}`, provider: 'openai', creditTypes: ['prepaid_api'], faceValueCents: 500_000n, maxPriceBps: 7_000, minValidityDays: 5, deadline: D },
      ];
      return seedStream(store, deciders.buyRequest, buyRequestStreamId(id), commands, T0);
    }
  }
}

async function seed(store: EventStore, deadlines: number): Promise<number> {
  let next = 0;
  let events = 0;
  let lastReport = performance.now();
  await Promise.all(
    Array.from({ length: SEED_WORKERS }, async () => {
      while (next < deadlines) {
        // Read after the await: `events += await ...` would add to a stale total from before it.
        const seeded = await seedDeadline(store, next++);
        events += seeded;
        if (performance.now() - lastReport > 5_000) {
          lastReport = performance.now();
          console.error(`  seeded ${next.toLocaleString('en-US')} / ${deadlines.toLocaleString('en-US')} streams`);
        }
      }
    }),
  );
  return events;
}

// ---------------------------------------------------------------- measuring

async function count(pool: pg.Pool, sql: string, parameters: unknown[] = []): Promise<number> {
  return Number((await pool.query<{ n: string }>(sql, parameters)).rows[0]!.n);
}

/** Waits until the subscription has handled the log up to the head as it is now; returns the seconds it took. */
async function untilCaughtUp(subscriptions: readonly DurableSubscription[], store: EventStore, started: number): Promise<number> {
  const head = await store.headPosition();
  for (;;) {
    const statuses = subscriptions.map((subscription) => subscription.status());
    const failed = statuses.find((status) => status.state === 'failed');
    if (failed !== undefined) throw new Error(`${failed.name} failed: ${failed.error}`);
    if (head === null || statuses.every(({ position }) => position !== null && comparePositions(position, head) >= 0)) return (performance.now() - started) / 1_000;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const rssPeak = { bytes: 0 };
function sampleRss(): void {
  rssPeak.bytes = Math.max(rssPeak.bytes, process.memoryUsage.rss());
}

function reportIdleError(error: Error): void {
  console.error(`idle connection error: ${error.message}`);
}

async function runBench(database: BenchDatabase, source: string): Promise<void> {
  const storePool = new pg.Pool({ connectionString: database.url, max: STORE_POOL_MAX });
  storePool.on('error', reportIdleError);
  const store = new PostgresEventStore(storePool);
  const pool = new pg.Pool({ connectionString: database.url, max: SUBSCRIPTION_POOL_MAX + 2 * ENFORCERS });
  pool.on('error', reportIdleError);
  const sampler = setInterval(sampleRss, 50);
  // The stream views keep the deadlines (deadline-rows.ts), as in the API and the worker.
  const projectors = [listingViewProjection(), dealViewProjection(), buyRequestViewProjection()].map((view) => new DurableSubscription(pool, store, view));
  const context = await NestFactory.createApplicationContext(LedgerCommandsModule.register({ store, clock: () => D, ...POLICIES }), { logger: ['error', 'warn'] });
  try {
    console.log(`seeding ${DEADLINES.toLocaleString('en-US')} streams whose deadlines fall due at ${D.toISOString()} (${SEED_WORKERS} concurrent appenders) ...`);
    const seedStarted = performance.now();
    const seededEvents = await seed(store, DEADLINES);
    const seedSeconds = (performance.now() - seedStarted) / 1_000;
    await pool.query('VACUUM ANALYZE ledger_events');

    console.log(`seeded ${seededEvents.toLocaleString('en-US')} events in ${seedSeconds.toLocaleString('en-US', { maximumFractionDigits: 1 })} s; projecting the deadlines ...`);
    const projectionStarted = performance.now();
    for (const projector of projectors) projector.start();
    const projectionSeconds = await untilCaughtUp(projectors, store, projectionStarted);
    const rows = await count(pool, 'SELECT count(*)::text AS n FROM deadlines');
    const approvalRows = await count(pool, `SELECT count(*)::text AS n FROM deadlines WHERE kind = 'deal_approval'`);
    const dueRows = approvalRows + (await count(pool, `SELECT count(*)::text AS n FROM deadlines WHERE kind IN ('listing_matchable_until', 'buy_request_deadline')`));
    if (dueRows !== DEADLINES) throw new Error(`the read model holds ${dueRows} due deadlines, expected ${DEADLINES}`);
    await pool.query('VACUUM ANALYZE deadlines');

    console.log(`projected ${rows.toLocaleString('en-US')} deadline rows in ${projectionSeconds.toLocaleString('en-US', { maximumFractionDigits: 1 })} s; enforcing ${DEADLINES.toLocaleString('en-US')} at once with ${ENFORCERS} enforcer(s) ...`);
    const commandBus = context.get(CommandBus);
    let recorded = 0;
    const enforcers = Array.from(
      { length: ENFORCERS },
      () =>
        new DeadlineEnforcer({
          commandBus,
          source: postgresDueDeadlines(pool),
          clock: () => D,
          listingPolicy: { expiryMarginMs: POLICIES.expiryMarginMs },
          pollIntervalMs: 1_000,
          concurrency: CONCURRENCY,
          onOutcome: (_deadline, outcome) => {
            if (outcome.kind === 'recorded') recorded += 1;
          },
        }),
    );
    const progress = setInterval(() => console.error(`  ${recorded.toLocaleString('en-US')} enforced`), 5_000);
    const enforceStarted = performance.now();
    let reports: SweepReport[];
    try {
      reports = await Promise.all(enforcers.map((enforcer) => enforcer.sweep()));
    } finally {
      clearInterval(progress);
    }
    const enforceSeconds = (performance.now() - enforceStarted) / 1_000;
    const followSeconds = await untilCaughtUp(projectors, store, enforceStarted);
    const remaining = await count(pool, `SELECT count(*)::text AS n FROM deadlines WHERE kind IN ('deal_approval', 'listing_matchable_until', 'buy_request_deadline')`);

    const facts = await count(pool, 'SELECT count(*)::text AS n FROM ledger_events WHERE event_type = ANY($1)', [[...EXPIRY_TYPES]]);
    const streamsExpired = await count(pool, 'SELECT count(DISTINCT stream_id)::text AS n FROM ledger_events WHERE event_type = ANY($1)', [[...EXPIRY_TYPES]]);
    const byType = Object.fromEntries(
      (await pool.query<{ event_type: string; n: string }>('SELECT event_type, count(*)::text AS n FROM ledger_events WHERE event_type = ANY($1) GROUP BY event_type ORDER BY event_type', [[...EXPIRY_TYPES]])).rows.map((row) => [row.event_type, Number(row.n)]),
    );
    sampleRss();
    report({ database, source, seededEvents, seedSeconds, projectionSeconds, rows, enforceSeconds, followSeconds, remaining, reports, facts, streamsExpired, byType });
  } finally {
    clearInterval(sampler);
    await Promise.all(projectors.map((projector) => projector.stop()));
    await context.close();
    await pool.end();
    await store.close().catch(() => undefined);
  }
}

interface Report {
  readonly database: BenchDatabase;
  readonly source: string;
  readonly seededEvents: number;
  readonly seedSeconds: number;
  readonly projectionSeconds: number;
  readonly rows: number;
  readonly enforceSeconds: number;
  readonly followSeconds: number;
  readonly remaining: number;
  readonly reports: readonly SweepReport[];
  readonly facts: number;
  readonly streamsExpired: number;
  readonly byType: Record<string, number>;
}

function report(r: Report): void {
  const num = (value: number, digits = 0) => value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  const round = (value: number) => Math.round(value * 100) / 100;
  const sum = (pick: (report: SweepReport) => number) => r.reports.reduce((total, each) => total + pick(each), 0);
  const refused: Record<string, number> = {};
  for (const each of r.reports) for (const [code, n] of Object.entries(each.refused)) refused[code] = (refused[code] ?? 0) + n;
  const perSecond = DEADLINES / r.enforceSeconds;
  const secondsPerTarget = (r.enforceSeconds * TARGET.deadlines) / DEADLINES;
  const exactlyOnce = r.facts === DEADLINES && r.streamsExpired === DEADLINES;
  const pass = secondsPerTarget <= TARGET.seconds && exactlyOnce;
  const peakRssMb = Math.max(rssPeak.bytes, process.resourceUsage().maxRSS * 1024) / 1_048_576;
  const lines = [
    `server   ${r.database.server}`,
    `source   ${r.source}`,
    `settings ${Object.entries(r.database.settings).map(([k, v]) => `${k}=${v}`).join(' ')}`,
    `client   node ${process.version}, ${availableParallelism()} CPUs; event store pool ${STORE_POOL_MAX}; ${ENFORCERS} enforcer(s), pages of ${num(DEADLINE_PAGE_SIZE)}, ${CONCURRENCY} commands at once`,
    `log      ${num(DEADLINES)} streams (80% deals awaiting approval, 10% listings, 10% buy requests), ${num(r.seededEvents)} events seeded in ${num(r.seedSeconds, 1)} s`,
    `project  ${num(r.rows)} deadline rows from an empty read model in ${num(r.projectionSeconds, 2)} s (${num(r.seededEvents / r.projectionSeconds)} events/s)`,
    '',
    `enforce  ${num(DEADLINES)} deadlines due at once: ${num(r.enforceSeconds, 2)} s, ${num(perSecond)} expiries/s`,
    `         outcomes: recorded ${num(sum((each) => each.recorded))}, already recorded ${num(sum((each) => each.unchanged))}, refused ${JSON.stringify(refused)}, failed ${num(sum((each) => each.failed))}`,
    `follow   the projection emptied the due deadlines ${num(r.followSeconds, 2)} s after the start (${num(r.remaining)} left)`,
    `facts    ${num(r.facts)} expiry facts in ${num(r.streamsExpired)} streams ${JSON.stringify(r.byType)}: ${exactlyOnce ? 'exactly one each' : 'NOT exactly one each'}`,
    `memory   peak RSS ${num(peakRssMb)} MB`,
    '',
    `target   ${num(TARGET.deadlines)} due at once enforced in <= ${TARGET.seconds} s, once each  ${num(secondsPerTarget, 1).padStart(6)} s${DEADLINES === TARGET.deadlines ? '' : ` (scaled from ${num(DEADLINES)})`}  ${pass ? 'PASS' : 'BELOW'}`,
  ];
  console.log(lines.join('\n'));
  console.log(
    JSON.stringify({
      bench: 'expiry',
      server: r.database.server,
      source: r.source,
      settings: r.database.settings,
      deadlines: DEADLINES,
      enforcers: ENFORCERS,
      concurrency: CONCURRENCY,
      seed: { events: r.seededEvents, seconds: round(r.seedSeconds) },
      projection: { rows: r.rows, seconds: round(r.projectionSeconds), eventsPerSec: round(r.seededEvents / r.projectionSeconds) },
      enforce: {
        seconds: round(r.enforceSeconds),
        expiriesPerSec: round(perSecond),
        recorded: sum((each) => each.recorded),
        unchanged: sum((each) => each.unchanged),
        refused,
        failed: sum((each) => each.failed),
        projectionEmptiedSeconds: round(r.followSeconds),
        remaining: r.remaining,
      },
      facts: { total: r.facts, streams: r.streamsExpired, byType: r.byType, exactlyOnce },
      peakRssMb: round(peakRssMb),
      target: { deadlines: TARGET.deadlines, seconds: TARGET.seconds, actualSeconds: round(secondsPerTarget), pass },
    }),
  );
}

await runBenchSession({
  migrations: ledgerMigrations,
  async measure(database, source) {
    await runBench(database, source);
  },
});
