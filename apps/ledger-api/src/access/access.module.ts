import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { AccessGuard } from './access.guard.js';
import { ACCESS_OPTIONS, AdminKeyBootstrap, type AccessOptions } from './admin-key.bootstrap.js';
import { ApiKeyStore } from './api-key.store.js';
import { ApiKeysController } from './api-keys.controller.js';
import { PerKeyRateLimit, perKeyThrottlerModule } from './per-key-rate-limit.js';

/** API keys, the global access guard, the per-key rate limit and the admin key routes. */
@Module({})
export class AccessModule {
  static register(options: AccessOptions & { readonly dataSource: DataSource }): DynamicModule {
    const { dataSource, ...accessOptions } = options;
    return {
      module: AccessModule,
      imports: [perKeyThrottlerModule(options.rateLimitPerMinute)],
      controllers: [ApiKeysController],
      providers: [
        { provide: DataSource, useValue: dataSource },
        { provide: ACCESS_OPTIONS, useValue: accessOptions },
        PerKeyRateLimit,
        ApiKeyStore,
        AdminKeyBootstrap,
        { provide: APP_GUARD, useClass: AccessGuard },
      ],
    };
  }
}
