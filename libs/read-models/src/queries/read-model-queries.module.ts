import { Module, type DynamicModule } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '#event-store';
import { GetBuyRequestQueryHandler, ListBuyRequestsQueryHandler } from './buy-request-queries.js';
import { GetDealAsOfQueryHandler, GetDealQueryHandler, ListDealsQueryHandler } from './deal-queries.js';
import { GetListingQueryHandler, ListListingsQueryHandler } from './listing-queries.js';
import {
  BuyRequestMatchesQueryHandler,
  DEFAULT_MATCH_SUGGESTION_SETTINGS,
  ListingMatchesQueryHandler,
  MATCH_SUGGESTION_SETTINGS,
  type MatchSuggestionSettings,
} from './match-suggestions.js';
import { READ_MODEL_DATABASE, type ReadModelDatabase } from './read-model-database.js';
import { ProjectionCatchUp, postgresCheckpointReader, type ReadYourWritesSettings } from './read-your-writes.js';

export interface ReadModelQueriesOptions {
  /** The read-model database: the API's TypeORM DataSource, or a pg pool. */
  readonly dataSource: ReadModelDatabase;
  /** For "as of" reads, folded from the streams. */
  readonly store: EventStore;
  readonly readYourWrites?: ReadYourWritesSettings;
  /** The listing policy the match suggestions apply (LEDGER_EXPIRY_MARGIN_MS); default DEFAULT_LISTING_POLICY. */
  readonly matchSuggestions?: MatchSuggestionSettings;
}

/**
 * The query handlers of the listing, deal and buy-request read models and the match suggestions, on the QueryBus of
 * @nestjs/cqrs (CqrsModule.forRoot() is global: whoever imports this module
 * has it already, through the command side).
 */
@Module({})
export class ReadModelQueriesModule {
  static register(options: ReadModelQueriesOptions): DynamicModule {
    return {
      module: ReadModelQueriesModule,
      providers: [
        { provide: READ_MODEL_DATABASE, useValue: options.dataSource },
        { provide: EVENT_STORE, useValue: options.store },
        { provide: ProjectionCatchUp, useValue: new ProjectionCatchUp(postgresCheckpointReader(options.dataSource), options.readYourWrites) },
        ListListingsQueryHandler,
        GetListingQueryHandler,
        ListDealsQueryHandler,
        GetDealQueryHandler,
        GetDealAsOfQueryHandler,
        { provide: MATCH_SUGGESTION_SETTINGS, useValue: options.matchSuggestions ?? DEFAULT_MATCH_SUGGESTION_SETTINGS },
        ListBuyRequestsQueryHandler,
        GetBuyRequestQueryHandler,
        BuyRequestMatchesQueryHandler,
        ListingMatchesQueryHandler,
      ],
    };
  }
}
