import { Controller, Get, Inject, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { LEDGER_CLOCK, type Clock } from '#commands';
import type { LogPosition } from '#event-store';
import { BuyRequestMatchesQuery, ListingMatchesQuery, type MatchSuggestionAnswer } from '#read-models';
import { Roles } from '../access/access.decorators.js';
import { notFound } from '../http/api-error.js';
import { MinPosition } from '../http/min-position.js';
import { MatchSuggestionParams } from './buy-request-query-params.js';

/**
 * The best `limit` suggestions, best first, in the list shape of
 * shared/API.md. `nextCursor` is always null: suggestions are a ranked
 * shortlist (at most MAX_MATCH_LIMIT), not a paged list; the whole board is
 * GET /v1/listings and GET /v1/buy-requests.
 */
export interface MatchSuggestionList {
  readonly items: MatchSuggestionAnswer[];
  readonly nextCursor: null;
}

/**
 * Match suggestions (shared/API.md, Queries) in both directions. Every
 * reading role sees them, brokers included: the board of listings and
 * requests is shared, as for GET /v1/listings. X-Min-Position waits for the
 * listing and buy-request views.
 */
@Controller('v1')
@Roles('broker', 'compliance', 'dashboard', 'admin')
export class MatchSuggestionsController {
  constructor(
    private readonly queries: QueryBus,
    @Inject(LEDGER_CLOCK) private readonly clock: Clock,
  ) {}

  /** The listings on the market that fit the request. An unknown request is 404; a closed one, or one past its deadline, has none. */
  @Get('buy-requests/:id/matches')
  async listingsForBuyRequest(
    @Param('id', new ParseUUIDPipe({ version: undefined })) id: string,
    @Query() params: MatchSuggestionParams,
    @MinPosition() minPosition: LogPosition | undefined,
  ): Promise<MatchSuggestionList> {
    const items = await this.queries.execute(new BuyRequestMatchesQuery(id, params.limit, this.clock(), minPosition));
    if (items === null) throw notFound(`No buy request ${id}`);
    return { items, nextCursor: null };
  }

  /** The open requests the listing could fill. An unknown listing is 404; one off the market has none. */
  @Get('listings/:id/matches')
  async buyRequestsForListing(
    @Param('id', new ParseUUIDPipe({ version: undefined })) id: string,
    @Query() params: MatchSuggestionParams,
    @MinPosition() minPosition: LogPosition | undefined,
  ): Promise<MatchSuggestionList> {
    const items = await this.queries.execute(new ListingMatchesQuery(id, params.limit, this.clock(), minPosition));
    if (items === null) throw notFound(`No listing ${id}`);
    return { items, nextCursor: null };
  }
}
