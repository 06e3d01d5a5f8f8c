/**
 * Command throughput of the ledger API over HTTP (a measurement, not a test:
 * it exits 0 whether or not the targets are met).
 *
 *   npm run bench:commands                             embedded PostgreSQL in a temp folder
 *   DATABASE_URL=postgres://... npm run bench:commands  a fresh database on that server
 *   BENCH_DURATION_S=10 BENCH_WARMUP_S=2 BENCH_CONNECTIONS=50   (the defaults)
 *   BENCH_IDEMPOTENCY_KEYS=1                  each command with its own Idempotency-Key
 *
 * In one run, on the same machine:
 *   1. the real API (startLedgerApi, exactly what `npm start` runs: API key
 *      check, rate limit, validation, idempotency interceptor, command bus,
 *      event store, process manager) on a fresh database, durable settings
 *      (the embedded server is started WITHOUT unsafeFast); a broker key is
 *      issued with the admin key, then autocannon POSTs SubmitListing bodies
 *      to /v1/listings on 50 connections: each request a new listing, the
 *      server picks its id;
 *   2. a NestJS 12 Fastify hello-world (one GET route answering
 *      {"hello":"world"}) under the same load: the ceiling of the framework
 *      on this machine, so the ratio says what the ledger's own work costs.
 * Each gets a warm-up, then a measured run of fixed duration. autocannon runs
 * in a worker thread, so the load generator does not share the servers'
 * event loop (both servers run in this process's main thread, which is also
 * what `node --cpu-prof` profiles).
 *
 * No write may be lost: after the command runs the number of ListingSubmitted
 * events in the store must equal the number of 2xx answers the server sent
 * (counted in an onSend hook; the client sees slightly fewer, since requests
 * still in flight when autocannon stops are answered after it hung up).
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { Controller, Get, Inject, Injectable, Module, type DynamicModule, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost, NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import autocannon from 'autocannon';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { readLedgerConfig } from '#configuration';
import { startLedgerApi, type RunningLedgerApi } from '../src/ledger-api.js';
import { envPositiveInteger, envPositiveNumber, runBenchSession, type BenchDatabase } from '../../../libs/testing/src/bench/bench-session.js';

const TARGETS = { commandsPerSec: 3_000, p99Ms: 50 } as const;
const CONNECTIONS = envPositiveInteger('BENCH_CONNECTIONS', 50);
const DURATION_S = envPositiveNumber('BENCH_DURATION_S', 10);
const WARMUP_S = envPositiveNumber('BENCH_WARMUP_S', 2);
/** A unique Idempotency-Key per request: the claim and the stored answer, two more statements per command. */
const IDEMPOTENCY_KEYS = process.env.BENCH_IDEMPOTENCY_KEYS === '1';
/** High enough that the per-key rate limit never answers 429 here: this measures the commands. */
const RATE_LIMIT_PER_MINUTE = 1_000_000;
/** How long to wait for the answers of requests still in flight when autocannon stops. */
const DRAIN_TIMEOUT_MS = 15_000;
/** Non-2xx answers kept with their bodies, to print. */
const KEPT_FAILURES = 5;
const AUTOCANNON_VERSION = (createRequire(import.meta.url)('autocannon/package.json') as { version: string }).version;

/** The body of test/deal-lifecycle.spec.ts (verifiedListing): no id, so the server picks one per request. */
const SUBMIT_LISTING_BODY = JSON.stringify({
  sellerId: 'seller-acme',
  provider: 'openai',
  creditType: 'prepaid_api',
  providerOrgRef: 'org-acme-123',
  faceValueCents: '1000000',
  currency: 'USD',
  creditExpiresAt: '2030-06-01T00:00:00.000Z',
  askPriceCents: '600000',
});

// ---------------------------------------------------------------- measuring

interface Measurement {
  readonly name: string;
  readonly requests: number;
  readonly seconds: number;
  readonly requestsPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly non2xx: number;
  /** Connection errors and timeouts: requests without any answer. */
  readonly errors: number;
  readonly timeouts: number;
  /** Count per status code other than 2xx. */
  readonly non2xxByStatus: Record<string, number>;
  readonly answered2xx: number;
}

interface LoadOptions {
  readonly title: string;
  readonly url: string;
  readonly method: 'GET' | 'POST';
  readonly headers?: Record<string, string>;
  readonly body?: string;
  readonly seconds: number;
  /** autocannon replaces `[<id>]` in the request (headers too) with a new id per request. */
  readonly idReplacement?: boolean;
}

/** One autocannon run in a worker thread. Latencies count 2xx answers only (autocannon's rule). */
async function load(options: LoadOptions): Promise<Measurement> {
  const result = await autocannon({
    title: options.title,
    url: options.url,
    method: options.method,
    headers: options.headers,
    body: options.body,
    idReplacement: options.idReplacement === true,
    connections: CONNECTIONS,
    duration: options.seconds,
    workers: 1,
  });
  const non2xxByStatus: Record<string, number> = {};
  for (const [status, { count }] of Object.entries(result.statusCodeStats ?? {})) {
    if (!status.startsWith('2') && count !== undefined && count > 0) non2xxByStatus[status] = count;
  }
  // Every answer of the run, whatever its status (requests.total undercounts in workers mode).
  const requests = result['2xx'] + result.non2xx;
  return {
    name: options.title,
    requests,
    seconds: result.duration,
    requestsPerSec: requests / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xxByStatus,
    answered2xx: result['2xx'],
  };
}

// ---------------------------------------------------------------- the API, with a tally of what it answered

/** What the API sent, counted as it sends it (a Fastify onSend hook). */
class AnswerTally {
  submitted2xx = 0;
  non2xx = 0;
  readonly failures: Array<{ status: number; method: string; url: string; body: string }> = [];

  record(status: number, method: string, url: string, payload: unknown): void {
    if (status >= 200 && status < 300) {
      if (method === 'POST' && url === '/v1/listings') this.submitted2xx += 1;
      return;
    }
    this.non2xx += 1;
    if (this.failures.length < KEPT_FAILURES) {
      const body = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : String(payload);
      this.failures.push({ status, method, url, body: body.slice(0, 500) });
    }
  }
}

const ANSWER_TALLY = Symbol('ANSWER_TALLY');

@Injectable()
class AnswerTallyHook implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(ANSWER_TALLY) private readonly tally: AnswerTally,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.addHook('onSend', async (request, reply, payload) => {
      this.tally.record(reply.statusCode, request.method, request.url, payload);
      return payload;
    });
  }
}

@Module({})
class AnswerTallyModule {}

/** Mounted through startLedgerApi's `imports`, as the tests mount their probes. */
function answerTallyModule(tally: AnswerTally): DynamicModule {
  return { module: AnswerTallyModule, providers: [{ provide: ANSWER_TALLY, useValue: tally }, AnswerTallyHook] };
}

// ---------------------------------------------------------------- the hello-world

@Controller()
class HelloController {
  @Get()
  hello(): { hello: string } {
    return { hello: 'world' };
  }
}

@Module({ controllers: [HelloController] })
class HelloModule {}

async function startHelloWorld(): Promise<{ app: NestFastifyApplication; url: string }> {
  const app = await NestFactory.create<NestFastifyApplication>(HelloModule, new FastifyAdapter(), { logger: ['error', 'warn'] });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address();
  if (typeof address !== 'object' || address === null) throw new Error('the hello-world app has no TCP address');
  return { app, url: `http://127.0.0.1:${address.port}/` };
}

// ---------------------------------------------------------------- scenarios

interface CommandsRun {
  readonly measurement: Measurement;
  readonly warmup: Measurement;
  readonly writes: WriteCheck;
  /** The first few non-2xx answers the API sent, with their bodies. */
  readonly failures: AnswerTally['failures'];
}

interface WriteCheck {
  /** ListingSubmitted events in the store after warm-up and measured run. */
  readonly events: number;
  /** 2xx answers to POST /v1/listings the server sent. */
  readonly server2xx: number;
  /** 2xx answers autocannon received (warm-up plus measured run). */
  readonly client2xx: number;
  readonly ok: boolean;
}

/** Cleanups for a signal to run, newest first; each server also closes itself when its scenario ends. */
/** Where a scenario registers what must be undone at the end, whatever happens. */
type Cleanups = { push(cleanup: () => Promise<void>): void };

/** A close that runs once, whether the scenario or a signal's cleanup calls it first. */
function once(close: () => Promise<void>): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return () => (closing ??= close());
}

async function benchCommands(databaseUrl: string, cleanups: Cleanups): Promise<CommandsRun> {
  const adminKey = `bench-admin-${randomBytes(16).toString('hex')}`;
  const tally = new AnswerTally();
  const config = readLedgerConfig({
    DATABASE_URL: databaseUrl,
    PORT: '0',
    LEDGER_ADMIN_KEY: adminKey,
    LEDGER_RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT_PER_MINUTE),
  });
  let closeApi: (() => Promise<void>) | undefined;
  const events = new pg.Client({ connectionString: databaseUrl });
  events.on('error', reportIdleError);
  const closeEvents = once(() => events.end().catch(() => undefined));
  try {
    const api: RunningLedgerApi = await startLedgerApi(config, { imports: [answerTallyModule(tally)] });
    closeApi = once(() => api.close());
    cleanups.push(closeApi);
    cleanups.push(closeEvents);
    await events.connect();
    const brokerKey = await issueBrokerKey(api.url, adminKey);
    const options: LoadOptions = {
      title: `POST /v1/listings (SubmitListing${IDEMPOTENCY_KEYS ? ' + key' : ''})`,
      url: `${api.url}/v1/listings`,
      method: 'POST',
      headers: {
        authorization: `Bearer ${brokerKey}`,
        'content-type': 'application/json',
        ...(IDEMPOTENCY_KEYS ? { 'idempotency-key': 'bench-[<id>]' } : {}),
      },
      body: SUBMIT_LISTING_BODY,
      seconds: DURATION_S,
      idReplacement: IDEMPOTENCY_KEYS,
    };
    console.log(`commands: warm-up ${WARMUP_S} s ...`);
    const warmup = await load({ ...options, title: `${options.title}, warm-up`, seconds: WARMUP_S });
    await drained(tally, events);
    console.log(`commands: ${DURATION_S} s, ${CONNECTIONS} connections ...`);
    const measurement = await load(options);
    const { events: stored, server2xx } = await drained(tally, events);
    const client2xx = warmup.answered2xx + measurement.answered2xx;
    return {
      warmup,
      measurement,
      failures: tally.failures,
      // Every answered command is stored, nothing unanswered is (the server's count), and the client got no
      // 2xx the server did not send; requests cut off by the end of a run may be answered to nobody.
      writes: { events: stored, server2xx, client2xx, ok: stored === server2xx && client2xx <= server2xx },
    };
  } finally {
    await closeEvents();
    await closeApi?.();
  }
}

async function issueBrokerKey(apiUrl: string, adminKey: string): Promise<string> {
  const response = await fetch(`${apiUrl}/v1/admin/api-keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ role: 'broker', principalId: 'broker-bench', label: 'bench:commands' }),
  });
  const text = await response.text();
  if (response.status !== 201) throw new Error(`issuing the broker key answered ${response.status}: ${text}`);
  return (JSON.parse(text) as { key: string }).key;
}

/**
 * Waits until the answers of the requests still in flight when autocannon stopped are sent: the
 * server's count of 2xx answers and the count of stored events stop moving (and agree, unless a
 * write was lost). Returns both.
 */
async function drained(tally: AnswerTally, client: pg.Client): Promise<{ events: number; server2xx: number }> {
  const deadline = Date.now() + DRAIN_TIMEOUT_MS;
  let previous = { events: -1, server2xx: -1 };
  for (;;) {
    const row = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ledger_events WHERE event_type = 'ListingSubmitted'`);
    const current = { events: Number(row.rows[0]!.n), server2xx: tally.submitted2xx };
    const settled = current.events === previous.events && current.server2xx === previous.server2xx;
    if ((settled && current.events === current.server2xx) || Date.now() > deadline) return current;
    previous = current;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function benchHelloWorld(cleanups: Cleanups): Promise<Measurement> {
  const hello = await startHelloWorld();
  const close = once(() => hello.app.close());
  cleanups.push(close);
  try {
    const options: LoadOptions = { title: 'GET / hello-world (Nest 12 + Fastify)', url: hello.url, method: 'GET', seconds: DURATION_S };
    console.log(`hello-world: warm-up ${WARMUP_S} s ...`);
    await load({ ...options, title: `${options.title}, warm-up`, seconds: WARMUP_S });
    console.log(`hello-world: ${DURATION_S} s, ${CONNECTIONS} connections ...`);
    return await load(options);
  } finally {
    await close();
  }
}

/** An idle connection that dies (server shut down, e.g. by Ctrl-C) must not crash the process before cleanup. */
function reportIdleError(error: Error): void {
  console.error(`idle connection error: ${error.message}`);
}

// ---------------------------------------------------------------- server and database



// ---------------------------------------------------------------- report

function report(database: BenchDatabase, source: string, commands: CommandsRun, hello: Measurement): void {
  const command = commands.measurement;
  const ratio = command.requestsPerSec / hello.requestsPerSec;
  const pad = (text: string, width: number) => text.padEnd(width);
  const num = (value: number, digits = 0) => value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  // autocannon records latencies in whole milliseconds.
  const ms = (value: number) => (value < 1 ? '<1' : num(value));
  const row = (m: Measurement) =>
    `${pad(m.name, 40)}${num(m.requests).padStart(9)}${num(m.requestsPerSec).padStart(9)}${ms(m.p50Ms).padStart(8)}` +
    `${ms(m.p99Ms).padStart(8)}${num(m.non2xx).padStart(9)}${num(m.errors).padStart(8)}`;
  const failures = [commands.warmup, command, hello].filter((m) => m.non2xx > 0 || m.errors > 0);
  const { writes } = commands;
  const lines = [
    `server   ${database.server}`,
    `source   ${source}`,
    `settings ${Object.entries(database.settings).map(([k, v]) => `${k}=${v}`).join(' ')}`,
    `client   node ${process.version}, ${availableParallelism()} CPUs, autocannon ${AUTOCANNON_VERSION} in 1 worker thread, ` +
      `${CONNECTIONS} connections, ${DURATION_S} s after a ${WARMUP_S} s warm-up, latency in whole ms; servers in the main thread` +
      (IDEMPOTENCY_KEYS ? '; an Idempotency-Key per command' : ''),
    '',
    `${pad('scenario', 40)}${'requests'.padStart(9)}${'req/s'.padStart(9)}${'p50 ms'.padStart(8)}${'p99 ms'.padStart(8)}${'non-2xx'.padStart(9)}${'errors'.padStart(8)}`,
    row(command),
    row(hello),
    '',
    `ratio    commands/s / hello-world req/s   ${num(ratio * 100, 1)}%`,
    ...failures.map((m) => `non-2xx  ${m.name}: ${JSON.stringify(m.non2xxByStatus)}; errors ${m.errors}, timeouts ${m.timeouts}`),
    ...commands.failures.map((f) => `sample   ${f.status} ${f.method} ${f.url}: ${f.body}`),
    `writes   ListingSubmitted events ${num(writes.events)}, 2xx answers sent ${num(writes.server2xx)} ` +
      `(received ${num(writes.client2xx)}, ${num(writes.server2xx - writes.client2xx)} answered after the client stopped)  ` +
      (writes.ok ? 'OK' : 'MISMATCH: WRITES LOST OR UNANSWERED'),
    '',
    `target   commands/s  >= ${num(TARGETS.commandsPerSec).padStart(6)}  ${num(command.requestsPerSec).padStart(7)}  ${command.requestsPerSec >= TARGETS.commandsPerSec ? 'PASS' : 'BELOW'}`,
    `target   p99 ms      <= ${num(TARGETS.p99Ms).padStart(6)}  ${ms(command.p99Ms).padStart(7)}  ${command.p99Ms <= TARGETS.p99Ms ? 'PASS' : 'BELOW'}`,
  ];
  console.log(lines.join('\n'));
  const round = (value: number) => Math.round(value * 100) / 100;
  const asJson = (m: Measurement) => ({
    requests: m.requests,
    seconds: round(m.seconds),
    requestsPerSec: round(m.requestsPerSec),
    p50Ms: m.p50Ms,
    p99Ms: m.p99Ms,
    non2xx: m.non2xx,
    non2xxByStatus: m.non2xxByStatus,
    errors: m.errors,
    timeouts: m.timeouts,
  });
  console.log(
    JSON.stringify({
      bench: 'commands',
      server: database.server,
      source,
      settings: database.settings,
      connections: CONNECTIONS,
      durationS: DURATION_S,
      warmupS: WARMUP_S,
      autocannon: AUTOCANNON_VERSION,
      idempotencyKeys: IDEMPOTENCY_KEYS,
      results: { submitListing: asJson(command), helloWorld: asJson(hello) },
      ratios: { commandsVsHelloWorld: Math.round(ratio * 10_000) / 10_000 },
      writes,
      targets: {
        commandsPerSec: { target: TARGETS.commandsPerSec, actual: round(command.requestsPerSec), pass: command.requestsPerSec >= TARGETS.commandsPerSec },
        p99Ms: { target: TARGETS.p99Ms, actual: command.p99Ms, pass: command.p99Ms <= TARGETS.p99Ms },
      },
    }),
  );
}

// ---------------------------------------------------------------- main

await runBenchSession({
  migrations: [],
  async measure(database, source, onCleanup) {
    const commands = await benchCommands(database.url, { push: onCleanup });
    const hello = await benchHelloWorld({ push: onCleanup });
    console.log('');
    report(database, source, commands, hello);
  },
});
