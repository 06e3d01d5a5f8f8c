import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import type { LogPosition } from '#event-store';
import { GetDealAsOfQuery, GetDealQuery, ListDealsQuery, type DealAnswer, type DealScope, type Page } from '#read-models';
import { CurrentPrincipal, Roles } from '../access/access.decorators.js';
import type { Principal } from '../access/principal.js';
import { forbidden, notFound } from '../http/api-error.js';
import { MinPosition } from '../http/min-position.js';
import { pageRequest } from '../queries/page-request.js';
import { GetDealParams, ListDealsParams } from './deal-query-params.js';

/** A broker sees the deals it brokers; compliance, dashboard and admin see every deal. */
function scopeOf(principal: Principal): DealScope {
  return principal.role === 'broker' ? { brokerId: principal.principalId } : 'every-deal';
}

/** The deal read routes of shared/API.md. Another broker's deal is 404, exactly as an unknown one. */
@Controller('v1/deals')
@Roles('broker', 'compliance', 'dashboard', 'admin')
export class DealQueriesController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  list(@Query() params: ListDealsParams, @CurrentPrincipal() principal: Principal, @MinPosition() minPosition: LogPosition | undefined): Promise<Page<DealAnswer>> {
    const scope = scopeOf(principal);
    // Refused rather than answered empty: an empty list would read as "that broker has no deals".
    if (scope !== 'every-deal' && params.brokerId !== undefined && params.brokerId !== scope.brokerId) {
      throw forbidden('A broker may list only the deals it brokers: leave brokerId out or name yourself');
    }
    const filter = { status: params.status, brokerId: params.brokerId, buyerId: params.buyerId, sellerId: params.sellerId };
    return this.queries.execute(new ListDealsQuery(scope, filter, pageRequest(params), minPosition));
  }

  /** With `asOf`, the deal as it was then, from its stream; X-Min-Position is then already met (the store holds every answered write). */
  @Get(':id')
  async get(
    @Param('id', new ParseUUIDPipe({ version: undefined })) id: string,
    @Query() params: GetDealParams,
    @CurrentPrincipal() principal: Principal,
    @MinPosition() minPosition: LogPosition | undefined,
  ): Promise<DealAnswer> {
    const scope = scopeOf(principal);
    const deal =
      params.asOf === undefined
        ? await this.queries.execute(new GetDealQuery(scope, id, minPosition))
        : await this.queries.execute(new GetDealAsOfQuery(scope, id, new Date(params.asOf)));
    if (deal === null) throw notFound(params.asOf === undefined ? `No deal ${id}` : `No deal ${id} as of ${params.asOf}`);
    return deal;
  }
}
