import { Module, type DynamicModule } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EVENT_STORE, type EventStore } from '#event-store';

export interface WorkerModuleOptions {
  readonly store: EventStore;
  readonly dataSource: DataSource;
}

/**
 * The worker's container. Its background work (the reservation process
 * manager now; projections and deadline enforcement to come) runs on durable
 * subscriptions started in main.ts.
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
