import { Module, type DynamicModule } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { EventStore } from '#event-store';
import { LEDGER_CLOCK, type Clock } from '#commands';
import { DEFAULT_LISTING_POLICY } from '#domain';
import { ReadModelQueriesModule } from '#read-models';
import { BuyRequestQueriesController } from '../buy-requests/buy-request-queries.controller.js';
import { MatchSuggestionsController } from '../buy-requests/match-suggestions.controller.js';
import { DealQueriesController } from '../deals/deal-queries.controller.js';
import { ListingQueriesController } from '../listings/listing-queries.controller.js';

export interface QueriesModuleOptions {
  readonly dataSource: DataSource;
  readonly store: EventStore;
  /** How long X-Min-Position waits for the projections; default READ_YOUR_WRITES_TIMEOUT_MS (tests shorten it). */
  readonly readYourWritesTimeoutMs?: number;
  /** The clock match suggestions measure validity, deadlines and expiry margins from; default the system clock. */
  readonly clock?: Clock;
  /** LEDGER_EXPIRY_MARGIN_MS, as the listing decider applies it; default DEFAULT_LISTING_POLICY's. */
  readonly expiryMarginMs?: number;
}

/** The listing, deal and buy-request read routes and the match suggestions (issue 4, items 3 and 4; issue 5, items 3 and 6) over the read models' QueryBus handlers. */
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
          matchSuggestions: { listingPolicy: { expiryMarginMs: options.expiryMarginMs ?? DEFAULT_LISTING_POLICY.expiryMarginMs } },
        }),
      ],
      // The clock of the commands, so that a suggestion is decided at the same moment a deal would be.
      providers: [{ provide: LEDGER_CLOCK, useValue: options.clock ?? ((): Date => new Date()) }],
      controllers: [ListingQueriesController, DealQueriesController, BuyRequestQueriesController, MatchSuggestionsController],
    };
  }
}
