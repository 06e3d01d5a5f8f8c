/**
 * Throughput benchmark of the PostgreSQL event store (a measurement, not a
 * test: it exits 0 whether or not the targets are met).
 *
 *   npm run bench:store                       embedded PostgreSQL in a temp folder
 *   DATABASE_URL=postgres://... npm run bench:store   a fresh database on that server
 *   BENCH_SCALE=0.5 npm run bench:store       scale every operation count
 *
 * In one run, on the same server, with durable settings (fsync and
 * synchronous_commit as the server has them; the embedded server is started
 * WITHOUT unsafeFast):
 *   1. the raw ceiling: single-row autocommit INSERTs into a plain table with
 *      the columns of ledger_events, sequentially on one connection and on
 *      8 connections at once;
 *   2. hot stream: sequential one-event appends to one stream, each with the
 *      exact expected revision returned by the previous one;
 *   3. 8 concurrent callers appending one event at a time to 1,000 streams
 *      (each caller owns its share; first append 'no_stream', then exact);
 *   4. sequential readStream of a whole 100-event stream.
 * Ratios compare (2) with raw sequential and (3) with raw 8 connections.
 *
 * The pool's query() is wrapped to count statements, so each scenario also
 * reports statements (= round trips) per operation and how often the stream
 * head cache missed (a `ledger_read_hash` or `ledger_read_head` query).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import type { EventToAppend, ExpectedRevision } from '../src/event-store.port.js';
import { eventStoreMigrations } from '../src/postgres/event-store-migrations.js';
import { PostgresEventStore } from '../src/postgres/postgres-event-store.js';
import { envPositiveInteger, envPositiveNumber, runBenchSession, type BenchDatabase } from '../../testing/src/bench/bench-session.js';

const TARGETS = { hotAppendsPerSec: 1_500, concurrentAppendsPerSec: 5_400, readsPerSec: 2_000 } as const;
const CALLERS = 8;
const STREAMS = 1_000;
const READ_STREAM_LENGTH = 100;
const POOL_MAX = envPositiveInteger('BENCH_POOL_MAX', CALLERS);
const SCALE = envPositiveNumber('BENCH_SCALE', 1);
const COUNTS = {
  rawSequential: scaled(3_000),
  rawConcurrent: scaled(8_000),
  hot: scaled(3_000),
  concurrent: scaled(8_000),
  reads: scaled(2_000),
};
const WARMUP = { raw: 200, hot: 200, concurrentPerCaller: 50, reads: 100 };
const RAW_TABLE = 'bench_raw_events';

// ---------------------------------------------------------------- measuring

interface Measurement {
  readonly name: string;
  readonly ops: number;
  readonly seconds: number;
  readonly opsPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Statements sent through the store's pool per operation (null for raw). */
  readonly statementsPerOp: number | null;
  /** Share of appends that had to read the head because the cache had nothing usable (null for raw/reads). */
  readonly headCacheMissRate: number | null;
  readonly statementsByName?: Record<string, number>;
}

/** Per-statement-name counts of everything the store sends through its pool. */
class StatementCounter {
  private counts = new Map<string, number>();

  wrap(pool: pg.Pool): void {
    const original = pool.query.bind(pool) as (...args: unknown[]) => unknown;
    (pool as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      const first = args[0];
      const name =
        typeof first === 'string'
          ? first.trim().split(/\s+/)[0]!.toUpperCase()
          : ((first as pg.QueryConfig).name ?? (first as pg.QueryConfig).text.trim().split(/\s+/)[0]!.toUpperCase());
      this.counts.set(name, (this.counts.get(name) ?? 0) + 1);
      return original(...args);
    };
  }

  snapshot(): Map<string, number> {
    return new Map(this.counts);
  }

  since(before: Map<string, number>): Record<string, number> {
    const delta: Record<string, number> = {};
    for (const [name, count] of this.counts) {
      const diff = count - (before.get(name) ?? 0);
      if (diff > 0) delta[name] = diff;
    }
    return delta;
  }
}

/** Runs `callers` loops of `op` concurrently, `total` operations in all, timing each. */
async function timed(total: number, callers: number, op: (caller: number, index: number) => Promise<void>) {
  const latencies = new Float64Array(total);
  let slot = 0;
  const share = (caller: number): number => Math.floor(total / callers) + (caller < total % callers ? 1 : 0);
  const started = performance.now();
  await Promise.all(
    Array.from({ length: callers }, async (_, caller) => {
      const mine = share(caller);
      for (let index = 0; index < mine; index += 1) {
        const t0 = performance.now();
        await op(caller, index);
        latencies[slot++] = performance.now() - t0;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1_000;
  latencies.sort();
  return { seconds, p50Ms: percentile(latencies, 0.5), p99Ms: percentile(latencies, 0.99) };
}

function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

function measurement(
  name: string,
  ops: number,
  run: { seconds: number; p50Ms: number; p99Ms: number },
  statements?: Record<string, number>,
  appendsCountedForCache = true,
): Measurement {
  const total = statements === undefined ? null : Object.values(statements).reduce((sum, n) => sum + n, 0);
  const misses = statements === undefined ? 0 : (statements.ledger_read_hash ?? 0) + (statements.ledger_read_head ?? 0);
  return {
    name,
    ops,
    seconds: run.seconds,
    opsPerSec: ops / run.seconds,
    p50Ms: run.p50Ms,
    p99Ms: run.p99Ms,
    statementsPerOp: total === null ? null : total / ops,
    headCacheMissRate: statements !== undefined && appendsCountedForCache ? misses / ops : null,
    ...(statements === undefined ? {} : { statementsByName: statements }),
  };
}

// ------------------------------------------------------------ domain-shaped events

function listingEvent(listingId: string, correlationId: string, causationId: string | null): EventToAppend {
  return {
    id: randomUUID(),
    type: 'CreditListed',
    data: { listingId, faceValueCents: '125000', priceCents: '62500', provider: 'openai' },
    metadata: {
      actorId: 'seller-7f3a2c',
      actorRole: 'seller',
      correlationId,
      causationId,
      occurredAt: new Date().toISOString(),
      schemaVersion: 1,
    },
  };
}

// ---------------------------------------------------------------- scenarios

async function rawInsert(client: pg.Client, streamId: string, revision: number): Promise<void> {
  const event = listingEvent(streamId, randomUUID(), randomUUID());
  await client.query({
    name: 'bench_raw_insert',
    text: `INSERT INTO ${RAW_TABLE} (stream_id, stream_revision, event_id, event_type, data, metadata, prev_hash, hash)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    values: [
      streamId,
      revision,
      event.id,
      event.type,
      JSON.stringify(event.data),
      JSON.stringify(event.metadata),
      randomBytes(32).toString('hex'),
      randomBytes(32).toString('hex'),
    ],
  });
}

/** An idle connection that dies (server shut down, e.g. by Ctrl-C) must not crash the process before cleanup. */
function reportIdleError(error: Error): void {
  console.error(`idle connection error: ${error.message}`);
}

async function runBench(databaseUrl: string): Promise<Measurement[]> {
  const results: Measurement[] = [];

  // 1. Raw ceiling: a plain table (no keys, no indexes, no triggers) with the columns of ledger_events.
  const rawClients = await Promise.all(
    Array.from({ length: CALLERS }, async () => {
      const client = new pg.Client({ connectionString: databaseUrl });
      client.on('error', reportIdleError);
      await client.connect();
      return client;
    }),
  );
  try {
    await rawClients[0]!.query(`CREATE TABLE ${RAW_TABLE} (
      stream_id text NOT NULL, stream_revision bigint NOT NULL, event_id uuid NOT NULL, event_type text NOT NULL,
      data jsonb NOT NULL, metadata jsonb NOT NULL, prev_hash char(64) NOT NULL, hash char(64) NOT NULL)`);
    await Promise.all(rawClients.map(async (client, c) => {
      for (let i = 0; i < WARMUP.raw; i += 1) await rawInsert(client, `warmup-${c}`, i);
    }));

    const rawSeq = await timed(COUNTS.rawSequential, 1, (_, i) => rawInsert(rawClients[0]!, 'raw-seq', i));
    results.push(measurement('raw INSERT, 1 connection', COUNTS.rawSequential, rawSeq));

    const rawPar = await timed(COUNTS.rawConcurrent, CALLERS, (c, i) => rawInsert(rawClients[c]!, `raw-par-${c}`, i));
    results.push(measurement(`raw INSERT, ${CALLERS} connections`, COUNTS.rawConcurrent, rawPar));
  } finally {
    await Promise.all(rawClients.map((client) => client.end().catch(() => undefined)));
  }

  // The store, on its own pool. idleTimeoutMillis 0: connections (and their prepared statements) stay between phases.
  const pool = new pg.Pool({ connectionString: databaseUrl, max: POOL_MAX, idleTimeoutMillis: 0 });
  pool.on('error', reportIdleError);
  const counter = new StatementCounter();
  counter.wrap(pool);
  const store = new PostgresEventStore(pool);
  try {
    // Warm-up: open every pool connection and prepare the store's statements on each.
    await Promise.all(
      Array.from({ length: CALLERS }, async (_, c) => {
        const stream = `warmup-${c}-${randomUUID()}`;
        let expected: ExpectedRevision = 'no_stream';
        for (let i = 0; i < WARMUP.concurrentPerCaller; i += 1) {
          expected = (await store.append(stream, [listingEvent(stream, randomUUID(), null)], expected)).nextExpectedRevision;
        }
        await store.readStream(stream);
      }),
    );
    {
      const stream = `warmup-hot-${randomUUID()}`;
      let expected: ExpectedRevision = 'no_stream';
      for (let i = 0; i < WARMUP.hot; i += 1) {
        expected = (await store.append(stream, [listingEvent(stream, randomUUID(), null)], expected)).nextExpectedRevision;
      }
    }

    // 2. One hot stream, sequential, exact expected revisions.
    {
      const stream = `listing-${randomUUID()}`;
      const correlationId = randomUUID();
      let expected = 'no_stream' as ExpectedRevision;
      let causationId: string | null = null;
      const before = counter.snapshot();
      const run = await timed(COUNTS.hot, 1, async () => {
        const event = listingEvent(stream, correlationId, causationId);
        expected = (await store.append(stream, [event], expected)).nextExpectedRevision;
        causationId = event.id;
      });
      if (expected !== BigInt(COUNTS.hot - 1)) throw new Error(`hot stream ended at revision ${String(expected)}, expected ${COUNTS.hot - 1}`);
      results.push(measurement('store append, 1 hot stream', COUNTS.hot, run, counter.since(before)));
    }

    // 3. 1,000 streams, 8 concurrent callers, each on its own share of the streams.
    {
      const streams = Array.from({ length: STREAMS }, () => `listing-${randomUUID()}`);
      const owned = Array.from({ length: CALLERS }, (_, c) => streams.filter((_, i) => i % CALLERS === c));
      const revisions = new Map<string, bigint>();
      const before = counter.snapshot();
      const run = await timed(COUNTS.concurrent, CALLERS, async (c, i) => {
        const mine = owned[c]!;
        const stream = mine[i % mine.length]!;
        const expected: ExpectedRevision = revisions.get(stream) ?? 'no_stream';
        const result = await store.append(stream, [listingEvent(stream, randomUUID(), null)], expected);
        revisions.set(stream, result.nextExpectedRevision);
      });
      results.push(measurement(`store append, ${STREAMS} streams x ${CALLERS} callers`, COUNTS.concurrent, run, counter.since(before)));
    }

    // 4. Whole-stream reads of a 100-event stream, sequential.
    {
      const stream = `listing-${randomUUID()}`;
      let expected: ExpectedRevision = 'no_stream';
      for (let i = 0; i < READ_STREAM_LENGTH; i += 1) {
        expected = (await store.append(stream, [listingEvent(stream, randomUUID(), null)], expected)).nextExpectedRevision;
      }
      for (let i = 0; i < WARMUP.reads; i += 1) await store.readStream(stream);
      const before = counter.snapshot();
      const run = await timed(COUNTS.reads, 1, async () => {
        const events = await store.readStream(stream);
        if (events.length !== READ_STREAM_LENGTH) throw new Error(`read ${events.length} events, expected ${READ_STREAM_LENGTH}`);
      });
      results.push(measurement(`store readStream, ${READ_STREAM_LENGTH} events`, COUNTS.reads, run, counter.since(before), false));
    }
  } finally {
    await store.close().catch(() => undefined);
  }
  return results;
}

// ---------------------------------------------------------------- server and database



// ---------------------------------------------------------------- report

function report(database: BenchDatabase, source: string, results: Measurement[]): void {
  const byName = (prefix: string) => results.find((r) => r.name.startsWith(prefix))!;
  const rawSeq = byName('raw INSERT, 1');
  const rawPar = byName(`raw INSERT, ${CALLERS}`);
  const hot = byName('store append, 1 hot');
  const concurrent = byName(`store append, ${STREAMS}`);
  const reads = byName('store readStream');

  const pad = (text: string, width: number) => text.padEnd(width);
  const num = (value: number, digits = 0) => value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  const lines = [
    `server   ${database.server}`,
    `source   ${source}`,
    `settings ${Object.entries(database.settings).map(([k, v]) => `${k}=${v}`).join(' ')}`,
    `client   node ${process.version}, ${availableParallelism()} CPUs, pool max ${POOL_MAX}, BENCH_SCALE ${SCALE}`,
    '',
    `${pad('scenario', 38)}${'ops'.padStart(7)}${'secs'.padStart(8)}${'ops/s'.padStart(9)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'stmts/op'.padStart(10)}${'head miss'.padStart(11)}`,
    ...results.map(
      (r) =>
        `${pad(r.name, 38)}${String(r.ops).padStart(7)}${num(r.seconds, 2).padStart(8)}${num(r.opsPerSec).padStart(9)}` +
        `${num(r.p50Ms, 2).padStart(9)}${num(r.p99Ms, 2).padStart(9)}` +
        `${(r.statementsPerOp === null ? '-' : num(r.statementsPerOp, 2)).padStart(10)}` +
        `${(r.headCacheMissRate === null ? '-' : `${num(r.headCacheMissRate * 100, 1)}%`).padStart(11)}`,
    ),
    '',
    `ratio    hot sequential / raw sequential      ${num((hot.opsPerSec / rawSeq.opsPerSec) * 100, 1)}%`,
    `ratio    ${CALLERS} callers / raw ${CALLERS} connections          ${num((concurrent.opsPerSec / rawPar.opsPerSec) * 100, 1)}%`,
    '',
    target('hot appends/s', hot.opsPerSec, TARGETS.hotAppendsPerSec),
    target(`appends/s, ${CALLERS} callers`, concurrent.opsPerSec, TARGETS.concurrentAppendsPerSec),
    target('reads/s (100 events)', reads.opsPerSec, TARGETS.readsPerSec),
  ];
  console.log(lines.join('\n'));
  const round = (value: number) => Math.round(value * 100) / 100;
  console.log(
    JSON.stringify({
      bench: 'event-store',
      server: database.server,
      source,
      settings: database.settings,
      scale: SCALE,
      poolMax: POOL_MAX,
      results: Object.fromEntries(
        results.map((r) => [
          r.name,
          {
            ops: r.ops,
            seconds: round(r.seconds),
            opsPerSec: round(r.opsPerSec),
            p50Ms: round(r.p50Ms),
            p99Ms: round(r.p99Ms),
            statementsPerOp: r.statementsPerOp === null ? null : round(r.statementsPerOp),
            headCacheMissRate: r.headCacheMissRate === null ? null : round(r.headCacheMissRate),
            ...(r.statementsByName === undefined ? {} : { statements: r.statementsByName }),
          },
        ]),
      ),
      ratios: { hotVsRawSequential: round(hot.opsPerSec / rawSeq.opsPerSec), callersVsRawConnections: round(concurrent.opsPerSec / rawPar.opsPerSec) },
      targets: {
        hotAppendsPerSec: { target: TARGETS.hotAppendsPerSec, actual: round(hot.opsPerSec), pass: hot.opsPerSec >= TARGETS.hotAppendsPerSec },
        concurrentAppendsPerSec: {
          target: TARGETS.concurrentAppendsPerSec,
          actual: round(concurrent.opsPerSec),
          pass: concurrent.opsPerSec >= TARGETS.concurrentAppendsPerSec,
        },
        readsPerSec: { target: TARGETS.readsPerSec, actual: round(reads.opsPerSec), pass: reads.opsPerSec >= TARGETS.readsPerSec },
      },
    }),
  );

  function target(label: string, actual: number, goal: number): string {
    return `target   ${pad(label, 28)} >= ${num(goal).padStart(6)}  ${num(actual).padStart(7)}  ${actual >= goal ? 'PASS' : 'BELOW'}`;
  }
}

// ---------------------------------------------------------------- main

function scaled(base: number): number {
  return Math.max(CALLERS, Math.round(base * SCALE));
}

await runBenchSession({
  migrations: eventStoreMigrations,
  async measure(database, source) {
    const results = await runBench(database.url);
    console.log('');
    report(database, source, results);
  },
});
