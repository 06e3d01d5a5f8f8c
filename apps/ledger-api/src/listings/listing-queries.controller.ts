import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import type { LogPosition } from '#event-store';
import { GetListingQuery, ListListingsQuery, type ListingAnswer, type Page } from '#read-models';
import { Roles } from '../access/access.decorators.js';
import { notFound } from '../http/api-error.js';
import { MinPosition } from '../http/min-position.js';
import { pageRequest } from '../queries/page-request.js';
import { GetListingParams, ListListingsParams } from './listing-query-params.js';

/** The listing read routes of shared/API.md: every reading role sees every listing. */
@Controller('v1/listings')
@Roles('broker', 'compliance', 'dashboard', 'admin')
export class ListingQueriesController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  list(@Query() params: ListListingsParams, @MinPosition() minPosition: LogPosition | undefined): Promise<Page<ListingAnswer>> {
    const filter = {
      status: params.status,
      provider: params.provider,
      creditType: params.creditType,
      sellerId: params.sellerId,
      expiringBefore: params.expiringBefore === undefined ? undefined : new Date(params.expiringBefore),
    };
    return this.queries.execute(new ListListingsQuery(filter, pageRequest(params), minPosition));
  }

  @Get(':id')
  async get(@Param('id', new ParseUUIDPipe({ version: undefined })) id: string, @Query() _params: GetListingParams, @MinPosition() minPosition: LogPosition | undefined): Promise<ListingAnswer> {
    const listing = await this.queries.execute(new GetListingQuery(id, minPosition));
    if (listing === null) throw notFound(`No listing ${id}`);
    return listing;
  }
}
