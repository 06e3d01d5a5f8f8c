import { Controller, Get } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import type { LogPosition } from '#event-store';
import { DashboardSummaryQuery, type DashboardSummary } from '#read-models';
import { CurrentPrincipal, Roles } from '../access/access.decorators.js';
import type { Principal } from '../access/principal.js';
import { MinPosition } from '../http/min-position.js';

/**
 * GET /v1/dashboard/summary (shared/API.md, Queries). Dashboard, compliance
 * and admin see every deal's figures. A broker is answered too, scoped like
 * every other deal query: the deal figures (pipeline, volume, commission,
 * deals expired, rescued) cover only the deals it brokers, and `scope` says
 * so; the listing figures (expiring, lost to expiry) are market-wide, as a
 * broker reads every listing anyway. X-Min-Position waits for the listing
 * and deal views.
 */
@Controller('v1/dashboard')
@Roles('broker', 'compliance', 'dashboard', 'admin')
export class DashboardController {
  constructor(private readonly queries: QueryBus) {}

  @Get('summary')
  summary(@CurrentPrincipal() principal: Principal, @MinPosition() minPosition: LogPosition | undefined): Promise<DashboardSummary> {
    const brokerId = principal.role === 'broker' ? principal.principalId : null;
    return this.queries.execute(new DashboardSummaryQuery(brokerId, new Date(), minPosition));
  }
}
