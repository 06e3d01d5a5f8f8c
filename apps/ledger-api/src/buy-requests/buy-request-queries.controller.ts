import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import type { LogPosition } from '#event-store';
import { GetBuyRequestQuery, ListBuyRequestsQuery, type BuyRequestAnswer, type Page } from '#read-models';
import { Roles } from '../access/access.decorators.js';
import { notFound } from '../http/api-error.js';
import { MinPosition } from '../http/min-position.js';
import { pageRequest } from '../queries/page-request.js';
import { GetBuyRequestParams, ListBuyRequestsParams } from './buy-request-query-params.js';

/** The buy-request read routes of shared/API.md: every reading role sees every request, as every listing (the board is shared). */
@Controller('v1/buy-requests')
@Roles('broker', 'compliance', 'dashboard', 'admin')
export class BuyRequestQueriesController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  list(@Query() params: ListBuyRequestsParams, @MinPosition() minPosition: LogPosition | undefined): Promise<Page<BuyRequestAnswer>> {
    const filter = { status: params.status, buyerId: params.buyerId };
    return this.queries.execute(new ListBuyRequestsQuery(filter, pageRequest(params), minPosition));
  }

  @Get(':id')
  async get(
    @Param('id', new ParseUUIDPipe({ version: undefined })) id: string,
    @Query() _params: GetBuyRequestParams,
    @MinPosition() minPosition: LogPosition | undefined,
  ): Promise<BuyRequestAnswer> {
    const request = await this.queries.execute(new GetBuyRequestQuery(id, minPosition));
    if (request === null) throw notFound(`No buy request ${id}`);
    return request;
  }
}
