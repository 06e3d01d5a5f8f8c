import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { ApiExceptionFilter } from './api-exception.filter.js';
import { FastifyEdgeHooks } from './fastify-edge-hooks.js';
import { IdempotencyInterceptor } from './idempotency/idempotency.interceptor.js';
import { IdempotencyStore } from './idempotency/idempotency.store.js';
import { createValidationPipe } from './validation.js';

/** The HTTP edge every route shares: error answers, validation, correlation ids, Idempotency-Key. */
@Module({})
export class HttpEdgeModule {
  static register(options: { readonly dataSource: DataSource }): DynamicModule {
    return {
      module: HttpEdgeModule,
      providers: [
        { provide: DataSource, useValue: options.dataSource },
        IdempotencyStore,
        FastifyEdgeHooks,
        { provide: APP_FILTER, useClass: ApiExceptionFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
      ],
    };
  }
}
