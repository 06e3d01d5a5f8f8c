import { Module, type DynamicModule } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EVENT_STORE, type EventStore } from '#event-store';

export interface WorkerModuleOptions {
  readonly store: EventStore;
  readonly dataSource: DataSource;
}

/**
 * The worker's container: projections, process managers and deadline
 * enforcement register here as they are built (issues 3 and 4). Until then
 * the worker connects, migrates and waits.
 */
@Module({})
export class WorkerModule {
  static register(options: WorkerModuleOptions): DynamicModule {
    return {
      module: WorkerModule,
      providers: [
        { provide: EVENT_STORE, useValue: options.store },
        { provide: DataSource, useValue: options.dataSource },
      ],
    };
  }
}
