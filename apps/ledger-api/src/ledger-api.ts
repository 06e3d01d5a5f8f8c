/**
 * Starts the ledger API: database (embedded or DATABASE_URL), migrations,
 * event store, HTTP on Fastify. `main.ts` calls it; so do the end-to-end
 * tests, so they run exactly what `npm start` runs.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import type { DynamicModule, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { ReservationProcessManager, createLedgerDeciders, type Clock } from '#commands';
import type { LedgerConfig } from '#configuration';
import { openEventStore, type EventStore } from '#event-store';
import { DurableSubscription, dealViewProjection, journalProjection, listingViewProjection, provisionDatabase, type ProvisionedDatabase } from '#read-models';
import { AppModule } from './app.module.js';

export interface RunningLedgerApi {
  readonly app: NestFastifyApplication;
  readonly url: string;
  readonly adminKey: string;
  /** True when no LEDGER_ADMIN_KEY was given and one was made for this run. */
  readonly adminKeyGenerated: boolean;
  readonly database: ProvisionedDatabase;
  readonly store: EventStore;
  close(): Promise<void>;
}

export interface StartLedgerApiOptions {
  /** More modules served behind the same edge: tests mount probe controllers this way. */
  readonly imports?: ReadonlyArray<Type<unknown> | DynamicModule>;
  /** The clock decisions read; default the system clock. */
  readonly clock?: Clock;
  /** How long a read with X-Min-Position waits for the projections; default 5 s (tests shorten it). */
  readonly readYourWritesTimeoutMs?: number;
}

export async function startLedgerApi(config: LedgerConfig, options: StartLedgerApiOptions = {}): Promise<RunningLedgerApi> {
  if (config.adminKey === null && config.databaseUrl !== null) {
    throw new Error('LEDGER_ADMIN_KEY is required with DATABASE_URL; only the embedded default generates one');
  }
  const database = await provisionDatabase(config);
  const cleanup: Array<() => Promise<unknown>> = [() => database.stop()];
  const closeAll = async (): Promise<void> => {
    // Every step runs even if one fails; a failure is reported, not swallowed.
    for (const step of cleanup.reverse()) await step().catch((error: unknown) => process.stderr.write(`shutdown step failed: ${String(error)}\n`));
  };
  try {
    const store = await openEventStore({
      kind: config.eventStore,
      databaseUrl: database.url,
      eventStoreConnectionString: config.eventStoreConnectionString,
    });
    cleanup.push(() => store.close());
    const dataSource = await new DataSource({ type: 'postgres', url: database.url, synchronize: false, logging: false }).initialize();
    cleanup.push(() => dataSource.destroy());

    const adminKey = config.adminKey ?? `lk_admin_${randomBytes(24).toString('base64url')}`;
    const policies = { expiryMarginMs: config.expiryMarginMs, approvalWindowMs: config.approvalWindowMs };
    const clock = options.clock ?? (() => new Date());

    // The background work runs in every API instance as well as in workers:
    // each subscription has one active leader at a time (advisory lock).
    const subscriptionPool = new pg.Pool({ connectionString: database.url, max: 6 });
    subscriptionPool.on('error', () => undefined);
    cleanup.push(() => subscriptionPool.end());
    const subscribers = [new ReservationProcessManager({ store, deciders: createLedgerDeciders(policies), clock }), listingViewProjection(), dealViewProjection(), journalProjection()];
    const subscriptions = subscribers.map((subscriber) => new DurableSubscription(subscriptionPool, store, subscriber));
    for (const subscription of subscriptions) subscription.start();
    cleanup.push(() => Promise.all(subscriptions.map((subscription) => subscription.stop())));

    const app = await NestFactory.create<NestFastifyApplication>(
      AppModule.register({ store, dataSource, adminKey, rateLimitPerMinute: config.rateLimitPerMinute, imports: options.imports, policies, clock, background: () => subscriptions.map((subscription) => subscription.status()), subscriptionFilters: new Map(subscribers.map((subscriber) => [subscriber.name, subscriber.filter])), readYourWritesTimeoutMs: options.readYourWritesTimeoutMs }),
      // Path parameters up to 256 characters (Fastify's default is 100): the audit routes take stream
      // names up to 200 and answer a longer one 400 themselves; past 256 Fastify answers 414.
      new FastifyAdapter({ bodyLimit: 256 * 1024, routerOptions: { maxParamLength: 256 } }),
      { logger: ['error', 'warn'] },
    );
    cleanup.push(() => app.close());
    await app.listen(config.port, config.host);
    const address = app.getHttpServer().address();
    const port = typeof address === 'object' && address !== null ? address.port : config.port;
    return {
      app,
      url: `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`,
      adminKey,
      adminKeyGenerated: config.adminKey === null,
      database,
      store,
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
