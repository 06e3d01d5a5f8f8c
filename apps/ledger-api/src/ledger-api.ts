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
import type { Clock } from '#commands';
import type { LedgerConfig } from '#configuration';
import { openEventStore, type EventStore } from '#event-store';
import { provisionDatabase, type ProvisionedDatabase } from '#read-models';
import { CommandBus } from '@nestjs/cqrs';
import { DEADLINE_ENFORCER, DeadlineEnforcer, type EnforcerStatus } from '#commands';
import { advisoryLeadership, postgresDueDeadlines } from '#read-models';
import { AppModule } from './app.module.js';
import { startBackgroundSubscriptions } from './background/background-subscriptions.js';
import { addSecurityHeaders } from './http/security-headers.js';
import { buildOpenApiDocument } from './openapi/openapi-document.js';
import { OpenApiDocumentSource } from './openapi/openapi-document-source.js';

/**
 * The largest request body (issue 7: 64 kB; larger is 413 PAYLOAD_TOO_LARGE
 * before any handler runs). Commands are far smaller: their longest field is
 * a 1,000-character note, 6 kB even with every character a JSON \u escape.
 */
export const REQUEST_BODY_LIMIT_BYTES = 64 * 1024;

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
  /**
   * Run the deadline enforcer in this process (every instance does, like the
   * process manager; one leads at a time); default true. A test that moves
   * its clock far ahead for one request turns it off, or everything expires.
   */
  readonly enforceDeadlines?: boolean;
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
    const storeSettings = { kind: config.eventStore, databaseUrl: database.url, eventStoreConnectionString: config.eventStoreConnectionString, statementTimeoutMs: config.statementTimeoutMs };
    const store = await openEventStore(storeSettings);
    cleanup.push(() => store.close());
    // The read models, keys and idempotency records: request work, bounded like the store's.
    const dataSource = await new DataSource({ type: 'postgres', url: database.url, synchronize: false, logging: false, extra: { statement_timeout: config.statementTimeoutMs } }).initialize();
    cleanup.push(() => dataSource.destroy());

    const adminKey = config.adminKey ?? `lk_admin_${randomBytes(24).toString('base64url')}`;
    const policies = { expiryMarginMs: config.expiryMarginMs, approvalWindowMs: config.approvalWindowMs };
    const clock = options.clock ?? (() => new Date());

    // The background work runs in every API instance as well as in workers: one leader per
    // subscription (advisory lock). In a worker thread unless a test injects a clock.
    const background = startBackgroundSubscriptions({ store, storeSettings, databaseUrl: database.url, policies, clock: options.clock, statementTimeoutMs: config.backgroundStatementTimeoutMs });
    cleanup.push(() => background.stop());
    await background.started;
    let enforcer: DeadlineEnforcer | null = null;
    const enforcerStatus = (): EnforcerStatus[] => (enforcer === null ? [] : [enforcer.status()]);

    const app = await NestFactory.create<NestFastifyApplication>(
      AppModule.register({ store, dataSource, adminKey, rateLimitPerMinute: config.rateLimitPerMinute, imports: options.imports, policies, clock, background: () => [...background.statuses(), ...enforcerStatus()], subscriptionFilters: background.filters, readYourWritesTimeoutMs: options.readYourWritesTimeoutMs }),
      // Path parameters up to 256 characters (Fastify's default is 100): the audit routes take stream
      // names up to 200 and answer a longer one 400 themselves; past 256 Fastify answers 414.
      new FastifyAdapter({ bodyLimit: REQUEST_BODY_LIMIT_BYTES, routerOptions: { maxParamLength: 256 } }),
      { logger: ['error', 'warn'] },
    );
    cleanup.push(() => app.close());
    app.get(OpenApiDocumentSource).use(() => buildOpenApiDocument(app));
    addSecurityHeaders(app.getHttpAdapter().getInstance());
    await app.listen(config.port, config.host);
    // After listen: the CommandBus finds its handlers once the application has bootstrapped.
    if (options.enforceDeadlines ?? true) {
      // Its own small pool: one connection holds the leader lock, one reads due deadlines.
      const deadlinePool = new pg.Pool({ connectionString: database.url, max: 2, statement_timeout: config.statementTimeoutMs });
      deadlinePool.on('error', () => undefined);
      cleanup.push(() => deadlinePool.end());
      const running = new DeadlineEnforcer({
        commandBus: app.get(CommandBus),
        source: postgresDueDeadlines(deadlinePool),
        clock,
        listingPolicy: { expiryMarginMs: config.expiryMarginMs },
        pollIntervalMs: config.deadlinePollMs,
        leadership: advisoryLeadership(deadlinePool, DEADLINE_ENFORCER),
        report: (line) => process.stderr.write(`${line}\n`),
      });
      running.start();
      enforcer = running;
      cleanup.push(() => running.stop());
    }
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
