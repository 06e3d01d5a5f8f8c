import { Injectable, Module, type DynamicModule, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import type { DataSource } from 'typeorm';
import type { EventStore } from '#event-store';
import { postgresCheckpointReader, type SubscriptionStatus } from '#read-models';
import { LedgerMetrics } from './ledger-metrics.js';
import { MetricsController } from './metrics.controller.js';
import { SUBSCRIPTION_LAG, SubscriptionLagProbe, type SubscriptionFilters } from './subscription-lag.js';

export interface MetricsModuleOptions {
  readonly store: EventStore;
  readonly dataSource: DataSource;
  /** Statuses of the background subscriptions this process hosts. */
  readonly background: () => readonly SubscriptionStatus[];
  /** Their names and filters, for the lag; empty: no subscriptions here. */
  readonly subscriptionFilters: SubscriptionFilters;
}

/** Counts every answer, also those Nest never routes (404 of unknown paths, bodies Fastify refuses): a Fastify onResponse hook. */
@Injectable()
export class HttpMetricsHook implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly metrics: LedgerMetrics,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.addHook('onResponse', (request, reply, done) => {
      this.metrics.observeRequest(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1_000);
      done();
    });
  }
}

/** GET /metrics (shared/API.md, Operations) and the subscription lag that /health/ready reports too. */
@Module({})
export class MetricsModule {
  static register(options: MetricsModuleOptions): DynamicModule {
    const lag = options.subscriptionFilters.size === 0 ? null : new SubscriptionLagProbe(options.store, postgresCheckpointReader(options.dataSource), options.subscriptionFilters);
    return {
      module: MetricsModule,
      controllers: [MetricsController],
      providers: [{ provide: LedgerMetrics, useValue: new LedgerMetrics(options.background, lag) }, { provide: SUBSCRIPTION_LAG, useValue: lag }, HttpMetricsHook],
      exports: [SUBSCRIPTION_LAG],
    };
  }
}
