/**
 * Throughput benchmark of the read-model projections (a measurement, not a
 * test: it exits 0 whether or not the targets are met).
 *
 *   npm run bench:projection                              embedded PostgreSQL in a temp folder
 *   DATABASE_URL=postgres://... npm run bench:projection  a fresh database on that server, dropped at the end
 *   BENCH_EVENTS=100000 npm run bench:projection          a quick run (default 1,000,000 events)
 *
 * 1. Seeds the log with realistic deal flows, appended with store.append in
 *    large appends per stream, the events decided and encoded by the
 *    domain's own deciders: per listing, submitted + verified + 10
 *    reservations; per deal (10 per listing), opened, amended, two approvals,
 *    two payments, transfer started and confirmed, payout and settlement;
 *    then the listing's 10 sales.
 * 2. Catch-up: every read model (listing-view, deal-view, journal), each as
 *    its own DurableSubscription with the production settings, all at once,
 *    from an empty read side to the head: events/s per projection and
 *    overall (log events / time until the last one reached the head).
 * 3. Rebuild: the path of `projections rebuild` (rebuildProjection) for all
 *    three at once over the same log: the time until all reached the head.
 * The embedded server runs with durable settings (no unsafeFast).
 */
import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import {
  dealDecider,
  dealStreamId,
  listingDecider,
  listingStreamId,
  type DealCommand,
  type DealEvent,
  type DealState,
  type ListingCommand,
  type ListingEvent,
  type ListingState,
} from '#domain';
import {
  PostgresEventStore,
  comparePositions,
  type EventStore,
  type EventToAppend,
  type LogPosition,
} from '#event-store';
import { ledgerMigrations } from '../src/database/ledger-migrations.js';
import { REBUILDABLE_PROJECTIONS as ALL_PROJECTIONS, rebuildProjection, startGate } from '../src/rebuild/projection-rebuild.js';
import { DurableSubscription } from '../src/subscriptions/durable-subscription.js';
import { envPositiveInteger, runBenchSession, type BenchDatabase } from '../../testing/src/bench/bench-session.js';
import { decideEvents, type EncodingDecider } from '../../testing/src/decided-events.js';
import { findPostmasterPid, ownCpuSeconds, serverCpuSeconds } from '../../testing/src/bench/process-cpu.js';

/** BENCH_PROJECTIONS=journal,deal-view: only these read models (to see what each costs); default all. */
const REBUILDABLE_PROJECTIONS = selectedProjections(process.env.BENCH_PROJECTIONS);
const TARGETS = { catchUpEventsPerSec: 20_000, rebuildSecondsPer1M: 60 } as const;
const EVENTS = envPositiveInteger('BENCH_EVENTS', 1_000_000);
const DEALS_PER_LISTING = 10;
const SEED_WORKERS = 4;
/** The subscription pool of the API and the worker. */
const SUBSCRIPTION_POOL_MAX = 6;

function selectedProjections(names: string | undefined): typeof ALL_PROJECTIONS {
  if (names === undefined || names.trim() === '') return ALL_PROJECTIONS;
  const wanted = names.split(',').map((name) => name.trim());
  const unknown = wanted.filter((name) => !ALL_PROJECTIONS.some((projection) => projection.name === name));
  if (unknown.length > 0) throw new Error(`BENCH_PROJECTIONS names no read model ${unknown.join(', ')} (known: ${ALL_PROJECTIONS.map((projection) => projection.name).join(', ')})`);
  return ALL_PROJECTIONS.filter((projection) => wanted.includes(projection.name));
}

// ---------------------------------------------------------------- seeding

const NOW = new Date();
const DAY_MS = 86_400_000;

function metadata(correlationId: string, actorRole: string, actorId: string): EventToAppend['metadata'] {
  return { actorId, actorRole, correlationId, causationId: null, occurredAt: NOW.toISOString(), schemaVersion: 1 };
}

function decideAll<State, Command, Event>(
  decider: EncodingDecider<State, Command, Event>,
  state: State,
  commands: readonly Command[],
  meta: EventToAppend['metadata'],
): { state: State; events: EventToAppend[] } {
  return decideEvents(decider, commands, NOW, () => meta, state);
}

/** One listing with its deals, appended stream by stream; returns the number of events. */
async function seedListing(store: EventStore, n: number): Promise<number> {
  const listingId = randomUUID();
  const sellerId = `seller-${n % 997}`;
  const brokerId = `broker-${n % 13}`;
  const correlationId = randomUUID();
  const faceValue = 1_000_000n;
  const deals = Array.from({ length: DEALS_PER_LISTING }, (_, d) => ({
    dealId: randomUUID(),
    buyerId: `buyer-${(n * 7 + d) % 4_999}`,
    faceValueCents: 80_000n,
    priceCents: 50_000n + BigInt(d) * 100n,
  }));
  const expires = new Date(NOW.getTime() + 180 * DAY_MS);
  const listingCommands: ListingCommand[] = [
    {
      type: 'SubmitListing',
      submittedBy: 'broker-ana',
      listingId,
      sellerId,
      provider: 'openai',
      creditType: 'prepaid_api',
      providerOrgRef: `org-${n}`,
      currency: 'USD',
      claimedFaceValueCents: faceValue,
      creditExpiresAt: expires,
      askPriceCents: 700_000n,
    },
    {
      type: 'VerifyListing',
      listingId,
      verifiedBy: 'ops-verifier',
      verifiedFaceValueCents: faceValue,
      verifiedExpiresAt: expires,
      evidence: { method: 'provider_console', reference: `ticket-${n}`, checkedAt: NOW },
    },
    ...deals.map(
      (deal): ListingCommand => ({
        type: 'ReserveListing',
        listingId,
        dealId: deal.dealId,
        faceValueCents: deal.faceValueCents,
        priceCents: deal.priceCents,
        match: { buyerId: deal.buyerId, brokerId, commissionBps: 1_000, buyRequestId: null },
      }),
    ),
  ];
  let listing: { state: ListingState; events: EventToAppend[] } = decideAll<ListingState, ListingCommand, ListingEvent>(
    listingDecider,
    listingDecider.initialState,
    listingCommands,
    metadata(correlationId, 'broker', brokerId),
  );
  let total = listing.events.length;
  const listingRevision = (await store.append(listingStreamId(listingId), listing.events, 'no_stream')).nextExpectedRevision;

  const sales: ListingCommand[] = [];
  for (const deal of deals) {
    const { dealId } = deal;
    const amendedPrice = deal.priceCents + 1_000n;
    const commands: DealCommand[] = [
      {
        type: 'OpenDeal',
        dealId,
        listingId,
        sellerId,
        buyerId: deal.buyerId,
        brokerId,
        currency: 'USD',
        faceValueCents: deal.faceValueCents,
        priceCents: deal.priceCents,
        commissionBps: 1_000,
        creditExpiresAt: expires,
      },
      { type: 'AmendDealTerms', dealId, priceCents: amendedPrice, reservedFaceValueCents: deal.faceValueCents },
      { type: 'ApproveDeal', dealId, party: 'seller', termsVersion: 2, approvedBy: `${sellerId}-contact` },
      { type: 'ApproveDeal', dealId, party: 'buyer', termsVersion: 2, approvedBy: `${deal.buyerId}-contact` },
      { type: 'ReceiveBuyerPayment', dealId, amountCents: 10_000n, paymentRef: `wire-${dealId}-1` },
      { type: 'ReceiveBuyerPayment', dealId, amountCents: amendedPrice - 10_000n, paymentRef: `wire-${dealId}-2` },
      { type: 'StartCreditTransfer', dealId, mechanism: 'organization_membership', reference: `invite-${dealId}` },
      { type: 'ConfirmCreditTransfer', dealId, confirmedFaceValueCents: deal.faceValueCents, evidence: { method: 'provider_console', reference: 'member-added' } },
      { type: 'IssueSellerPayout', dealId, payoutRef: `payout-${dealId}` },
    ];
    const { events } = decideAll<DealState, DealCommand, DealEvent>(dealDecider, dealDecider.initialState, commands, metadata(randomUUID(), 'broker', brokerId));
    await store.append(dealStreamId(dealId), events, 'no_stream');
    total += events.length;
    sales.push({ type: 'SellListingReservation', listingId, dealId, faceValueCents: deal.faceValueCents });
  }
  listing = decideAll<ListingState, ListingCommand, ListingEvent>(listingDecider, listing.state, sales, metadata(correlationId, 'system', 'reservation-process-manager'));
  await store.append(listingStreamId(listingId), listing.events, listingRevision);
  return total + listing.events.length;
}

async function seed(store: EventStore, target: number): Promise<number> {
  let appended = 0;
  let next = 0;
  let lastReport = performance.now();
  await Promise.all(
    Array.from({ length: SEED_WORKERS }, async () => {
      while (appended < target) {
        const seeded = await seedListing(store, next++);
        appended += seeded;
        if (performance.now() - lastReport > 5_000) {
          lastReport = performance.now();
          console.error(`  seeded ${appended.toLocaleString('en-US')} / ${target.toLocaleString('en-US')} events`);
        }
      }
    }),
  );
  return appended;
}

// ---------------------------------------------------------------- measuring

interface Timing {
  readonly name: string;
  readonly seconds: number;
}

const rssPeak = { bytes: 0 };
function sampleRss(): void {
  rssPeak.bytes = Math.max(rssPeak.bytes, process.memoryUsage.rss());
}

/** Every read model as its own DurableSubscription, as the API and the worker run them. */
async function catchUp(url: string, store: EventStore, head: LogPosition): Promise<Timing[]> {
  const pool = new pg.Pool({ connectionString: url, max: SUBSCRIPTION_POOL_MAX });
  pool.on('error', reportIdleError);
  const subscriptions = REBUILDABLE_PROJECTIONS.map((projection) => new DurableSubscription(pool, store, projection.create()));
  const done = new Map<string, number>();
  const started = performance.now();
  try {
    for (const subscription of subscriptions) subscription.start();
    while (done.size < subscriptions.length) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      sampleRss();
      for (const subscription of subscriptions) {
        const { name, state, position, error } = subscription.status();
        if (state === 'failed') throw new Error(`${name} failed: ${error}`);
        if (!done.has(name) && position !== null && comparePositions(position, head) >= 0) done.set(name, (performance.now() - started) / 1_000);
      }
    }
  } finally {
    await Promise.all(subscriptions.map((subscription) => subscription.stop()));
    await pool.end();
  }
  return [...done].map(([name, seconds]) => ({ name, seconds }));
}

async function rebuildAll(url: string, store: EventStore, events: number): Promise<Timing[]> {
  const pool = new pg.Pool({ connectionString: url, max: SUBSCRIPTION_POOL_MAX });
  pool.on('error', reportIdleError);
  const sampler = setInterval(sampleRss, 20);
  try {
    const started = performance.now();
    const together = startGate(REBUILDABLE_PROJECTIONS.length);
    const results = await Promise.all(
      REBUILDABLE_PROJECTIONS.map(async (projection) => {
        const result = await rebuildProjection(pool, store, projection, { startTogether: together });
        if (result.events !== events) throw new Error(`rebuild of ${projection.name} applied ${result.events} events, expected ${events}`);
        return { name: projection.name, seconds: (performance.now() - started) / 1_000 };
      }),
    );
    return results;
  } finally {
    clearInterval(sampler);
    await pool.end();
  }
}

/** An idle connection that dies (server shut down, e.g. by Ctrl-C) must not crash the process before cleanup. */
function reportIdleError(error: Error): void {
  console.error(`idle connection error: ${error.message}`);
}

// ---------------------------------------------------------------- server and database



async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', reportIdleError);
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function readModelCounts(url: string): Promise<Record<string, number>> {
  return withClient(url, async (client) => {
    const counts: Record<string, number> = {};
    // The deadlines table is shared by the stream views (each owns its streams' rows).
    const deadlines = REBUILDABLE_PROJECTIONS.some((projection) => projection.ownedRows !== undefined) ? ['deadlines'] : [];
    for (const table of [...REBUILDABLE_PROJECTIONS.flatMap((projection) => projection.tables), ...deadlines]) {
      counts[table] = Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]!.n);
    }
    return counts;
  });
}

// ---------------------------------------------------------------- main

async function runBench(database: BenchDatabase, source: string): Promise<void> {
  const storePool = new pg.Pool({ connectionString: database.url, max: 8 });
  storePool.on('error', reportIdleError);
  const store = new PostgresEventStore(storePool);
  try {
    console.log(`seeding ~${EVENTS.toLocaleString('en-US')} events (${SEED_WORKERS} concurrent appenders) ...`);
    const seedStarted = performance.now();
    const events = await seed(store, EVENTS);
    const seedSeconds = (performance.now() - seedStarted) / 1_000;
    await withClient(database.url, (client) => client.query('VACUUM ANALYZE ledger_events'));
    const head = (await store.headPosition())!;
    console.log(`seeded ${events.toLocaleString('en-US')} events in ${seedSeconds.toLocaleString('en-US', { maximumFractionDigits: 1 })} s; catch-up ...`);

    const postmaster = await findPostmasterPid(database.url);
    const cpu = new CpuMeter(postmaster);
    await cpu.start();
    const catchUpTimes = await catchUp(database.url, store, head);
    const catchUpCpu = await cpu.stop();
    const counts = await readModelCounts(database.url);
    console.log(`caught up; rebuild ...`);
    await cpu.start();
    const rebuildTimes = await rebuildAll(database.url, store, events);
    const rebuildCpu = await cpu.stop();
    const rebuiltCounts = await readModelCounts(database.url);
    if (JSON.stringify(counts) !== JSON.stringify(rebuiltCounts)) throw new Error(`rebuild gave other row counts: ${JSON.stringify(counts)} vs ${JSON.stringify(rebuiltCounts)}`);
    sampleRss();
    report({ database, source, events, seedSeconds, catchUpTimes, rebuildTimes, counts, catchUpCpu, rebuildCpu });
  } finally {
    await store.close().catch(() => undefined);
  }
}

interface Report {
  readonly database: BenchDatabase;
  readonly source: string;
  readonly events: number;
  readonly seedSeconds: number;
  readonly catchUpTimes: Timing[];
  readonly rebuildTimes: Timing[];
  readonly catchUpCpu: CpuSeconds;
  readonly rebuildCpu: CpuSeconds;
  readonly counts: Record<string, number>;
}

/** CPU-seconds of one phase: this process (every thread) and the PostgreSQL server (null when it is not on this machine). */
interface CpuSeconds {
  readonly node: number;
  readonly postgres: number | null;
}

/** What a phase cost in CPU, which a busy machine does not move the way it moves wall-clock time. */
class CpuMeter {
  private startedAt: CpuSeconds = { node: 0, postgres: null };
  constructor(private readonly postmasterPid: number | null) {}

  async start(): Promise<void> {
    this.startedAt = await this.read();
  }

  async stop(): Promise<CpuSeconds> {
    // The phase's backends have just been told to end: give the server a moment to reap them (their time moves to the postmaster then).
    await new Promise((resolve) => setTimeout(resolve, 500));
    const now = await this.read();
    return { node: now.node - this.startedAt.node, postgres: now.postgres === null || this.startedAt.postgres === null ? null : now.postgres - this.startedAt.postgres };
  }

  private async read(): Promise<CpuSeconds> {
    return { node: ownCpuSeconds(), postgres: this.postmasterPid === null ? null : await serverCpuSeconds(this.postmasterPid) };
  }
}

function report({ database, source, events, seedSeconds, catchUpTimes, rebuildTimes, counts, catchUpCpu, rebuildCpu }: Report): void {
  const num = (value: number, digits = 0) => value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  const round = (value: number) => Math.round(value * 100) / 100;
  const catchUpSeconds = Math.max(...catchUpTimes.map((t) => t.seconds));
  const catchUpRate = events / catchUpSeconds;
  const rebuildSeconds = Math.max(...rebuildTimes.map((t) => t.seconds));
  const rebuildPer1M = (rebuildSeconds * 1_000_000) / events;
  const peakRssMb = Math.max(rssPeak.bytes, process.resourceUsage().maxRSS * 1024) / 1_048_576;
  const cpuLine = (cpu: CpuSeconds) => {
    const total = cpu.node + (cpu.postgres ?? 0);
    return `node ${num(cpu.node, 1)} s + postgres ${cpu.postgres === null ? 'n/a' : `${num(cpu.postgres, 1)} s`} = ${num(total, 1)} CPU-s, ${num((total * 100_000) / events, 2)} CPU-s per 100k events`;
  };
  const lines = [
    `server   ${database.server}`,
    `source   ${source}`,
    `settings ${Object.entries(database.settings).map(([k, v]) => `${k}=${v}`).join(' ')}`,
    `client   node ${process.version}, ${availableParallelism()} CPUs`,
    `log      ${num(events)} events seeded in ${num(seedSeconds, 1)} s (${num(events / seedSeconds)} events/s appended); rows: ${Object.entries(counts).map(([k, v]) => `${k}=${num(v)}`).join(' ')}`,
    '',
    `catch-up, every read model at once (DurableSubscription, production settings)`,
    ...catchUpTimes.map((t) => `  ${t.name.padEnd(14)}${num(t.seconds, 2).padStart(9)} s${num(events / t.seconds).padStart(10)} events/s`),
    `  ${'overall'.padEnd(14)}${num(catchUpSeconds, 2).padStart(9)} s${num(catchUpRate).padStart(10)} events/s`,
    `  ${'cpu'.padEnd(14)}${cpuLine(catchUpCpu)}`,
    `rebuild, every read model at once (projections rebuild)`,
    ...rebuildTimes.map((t) => `  ${t.name.padEnd(14)}${num(t.seconds, 2).padStart(9)} s${num(events / t.seconds).padStart(10)} events/s`),
    `  ${'overall'.padEnd(14)}${num(rebuildSeconds, 2).padStart(9)} s${num(events / rebuildSeconds).padStart(10)} events/s  (${num(rebuildPer1M, 1)} s per 1M events)`,
    `  ${'cpu'.padEnd(14)}${cpuLine(rebuildCpu)}`,
    `memory   peak RSS ${num(peakRssMb)} MB`,
    '',
    `target   catch-up events/s     >= ${num(TARGETS.catchUpEventsPerSec).padStart(7)}  ${num(catchUpRate).padStart(8)}  ${catchUpRate >= TARGETS.catchUpEventsPerSec ? 'PASS' : 'BELOW'}`,
    `target   rebuild s per 1M      <= ${num(TARGETS.rebuildSecondsPer1M).padStart(7)}  ${num(rebuildPer1M, 1).padStart(8)}  ${rebuildPer1M <= TARGETS.rebuildSecondsPer1M ? 'PASS' : 'BELOW'}`,
  ];
  console.log(lines.join('\n'));
  console.log(
    JSON.stringify({
      bench: 'projection',
      server: database.server,
      source,
      settings: database.settings,
      events,
      seed: { seconds: round(seedSeconds), eventsPerSec: round(events / seedSeconds) },
      rows: counts,
      catchUp: {
        seconds: round(catchUpSeconds),
        eventsPerSec: round(catchUpRate),
        cpuSeconds: catchUpCpu,
        projections: Object.fromEntries(catchUpTimes.map((t) => [t.name, { seconds: round(t.seconds), eventsPerSec: round(events / t.seconds) }])),
      },
      rebuild: {
        seconds: round(rebuildSeconds),
        secondsPer1M: round(rebuildPer1M),
        eventsPerSec: round(events / rebuildSeconds),
        cpuSeconds: rebuildCpu,
        projections: Object.fromEntries(rebuildTimes.map((t) => [t.name, { seconds: round(t.seconds), eventsPerSec: round(events / t.seconds) }])),
      },
      peakRssMb: round(peakRssMb),
      targets: {
        catchUpEventsPerSec: { target: TARGETS.catchUpEventsPerSec, actual: round(catchUpRate), pass: catchUpRate >= TARGETS.catchUpEventsPerSec },
        rebuildSecondsPer1M: { target: TARGETS.rebuildSecondsPer1M, actual: round(rebuildPer1M), pass: rebuildPer1M <= TARGETS.rebuildSecondsPer1M },
      },
    }),
  );
}

await runBenchSession({
  migrations: ledgerMigrations,
  async measure(database, source) {
    await runBench(database, source);
  },
});
