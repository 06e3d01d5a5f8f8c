import { Module, type DynamicModule, type Type } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DEFAULT_RATE_LIMIT_PER_MINUTE } from '#configuration';
import { EVENT_STORE, type EventStore, type LogFilter } from '#event-store';
import { LedgerCommandsModule, type Clock, type LedgerPolicySettings } from '#commands';
import { AccessModule } from './access/access.module.js';
import { AuditModule } from './audit/audit.module.js';
import { DealsController } from './deals/deals.controller.js';
import { ListingsController } from './listings/listings.controller.js';
import { BuyRequestsController } from './buy-requests/buy-requests.controller.js';
import { BACKGROUND_WORK, HealthController, type BackgroundWork } from './health/health.controller.js';
import { HttpEdgeModule } from './http/http-edge.module.js';
import { QueriesModule } from './queries/queries.module.js';
import { LedgerModule } from './ledger/ledger.module.js';
import { DashboardModule } from './dashboard/dashboard.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { OpenApiModule } from './openapi/openapi.module.js';

export interface AppModuleOptions {
  readonly store: EventStore;
  /** The read-model database, initialised by the caller. */
  readonly dataSource: DataSource;
  /** Installed as principal `admin` at start-up (LEDGER_ADMIN_KEY); absent or null: none. */
  readonly adminKey?: string | null;
  /** Requests per minute per API key (LEDGER_RATE_LIMIT_PER_MINUTE). */
  readonly rateLimitPerMinute?: number;
  /** LEDGER_EXPIRY_MARGIN_MS and LEDGER_APPROVAL_WINDOW_MS. */
  readonly policies: LedgerPolicySettings;
  /** The clock decisions read; default the system clock (tests move time). */
  readonly clock?: Clock;
  /** Statuses of the background subscriptions this process hosts, for /health/ready. */
  readonly background?: BackgroundWork;
  /** Names and log filters of those subscriptions, for their lag in /metrics and /health/ready; absent: no lag. */
  readonly subscriptionFilters?: ReadonlyMap<string, LogFilter | undefined>;
  /** More modules served behind the same edge (tests mount probe controllers this way). */
  readonly imports?: ReadonlyArray<Type<unknown> | DynamicModule>;
  /** How long a read with X-Min-Position waits for the projections; default 5 s (tests shorten it). */
  readonly readYourWritesTimeoutMs?: number;
}

@Module({})
export class AppModule {
  static register(options: AppModuleOptions): DynamicModule {
    const clock = options.clock ?? ((): Date => new Date());
    return {
      module: AppModule,
      imports: [
        HttpEdgeModule.register({ dataSource: options.dataSource }),
        AccessModule.register({
          dataSource: options.dataSource,
          adminKey: options.adminKey ?? null,
          rateLimitPerMinute: options.rateLimitPerMinute ?? DEFAULT_RATE_LIMIT_PER_MINUTE,
        }),
        LedgerCommandsModule.register({ store: options.store, ...options.policies, clock }),
        AuditModule.register({ store: options.store }),
        QueriesModule.register({ dataSource: options.dataSource, store: options.store, readYourWritesTimeoutMs: options.readYourWritesTimeoutMs, clock: options.clock, expiryMarginMs: options.policies.expiryMarginMs }),
        LedgerModule.register({ dataSource: options.dataSource }),
        DashboardModule.register({ dataSource: options.dataSource, clock, readYourWritesTimeoutMs: options.readYourWritesTimeoutMs }),
        MetricsModule.register({ store: options.store, dataSource: options.dataSource, background: options.background ?? (() => []), subscriptionFilters: options.subscriptionFilters ?? new Map() }),
        OpenApiModule,
        ...(options.imports ?? []),
      ],
      controllers: [HealthController, ListingsController, DealsController, BuyRequestsController],
      providers: [
        { provide: EVENT_STORE, useValue: options.store },
        { provide: DataSource, useValue: options.dataSource },
        { provide: BACKGROUND_WORK, useValue: options.background ?? (() => []) },
      ],
    };
  }
}
