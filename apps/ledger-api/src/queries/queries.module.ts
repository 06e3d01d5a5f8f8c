import { Module, type DynamicModule } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { EventStore } from '#event-store';
import { ReadModelQueriesModule } from '#read-models';
import { DealQueriesController } from '../deals/deal-queries.controller.js';
import { ListingQueriesController } from '../listings/listing-queries.controller.js';

export interface QueriesModuleOptions {
  readonly dataSource: DataSource;
  readonly store: EventStore;
  /** How long X-Min-Position waits for the projections; default READ_YOUR_WRITES_TIMEOUT_MS (tests shorten it). */
  readonly readYourWritesTimeoutMs?: number;
}

/** The listing and deal read routes (issue 4, items 3 and 4) over the read models' QueryBus handlers. */
@Module({})
export class QueriesModule {
  static register(options: QueriesModuleOptions): DynamicModule {
    return {
      module: QueriesModule,
      imports: [
        ReadModelQueriesModule.register({
          dataSource: options.dataSource,
          store: options.store,
          readYourWrites: options.readYourWritesTimeoutMs === undefined ? {} : { timeoutMs: options.readYourWritesTimeoutMs },
        }),
      ],
      controllers: [ListingQueriesController, DealQueriesController],
    };
  }
}
