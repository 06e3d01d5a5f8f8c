import { Module, type DynamicModule } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EVENT_STORE, type EventStore } from '#event-store';
import { HealthController } from './health/health.controller.js';

export interface AppModuleOptions {
  readonly store: EventStore;
  /** The read-model database, initialised by the caller. */
  readonly dataSource: DataSource;
}

@Module({})
export class AppModule {
  static register(options: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      controllers: [HealthController],
      providers: [
        { provide: EVENT_STORE, useValue: options.store },
        { provide: DataSource, useValue: options.dataSource },
      ],
    };
  }
}
