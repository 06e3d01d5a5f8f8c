import { Controller, Get, Inject, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { LEDGER_CLOCK, type Clock } from '#commands';
import type { LogPosition } from '#event-store';
import { DashboardSummaryQuery, RecentFactsQuery, type DashboardSummary, type JournalEntryItem } from '#read-models';
import { CurrentPrincipal, Roles } from '../access/access.decorators.js';
import type { Principal } from '../access/principal.js';
import { MinPosition } from '../http/min-position.js';
import { DashboardSummaryParams, dashboardTimingPeriod } from './dashboard-query-params.js';
import { RecentFactsParams } from './recent-facts-params.js';

/**
 * GET /v1/dashboard/summary (shared/API.md, Queries). Dashboard, compliance
 * and admin see every deal's figures. A broker is answered too, scoped like
 * every other deal query: the deal figures (pipeline, volume, commission,
 * deals expired, rescued, time to settle) cover only the deals it brokers,
 * and `scope` says so; the listing and matching figures (expiring, lost to
 * expiry, time to match) are market-wide, as a broker reads every listing
 * anyway. X-Min-Position waits for the listing, deal and buy-request views.
 *
 * `asOf` and the default period of the timings come from the injected clock
 * (the one the deciders read), so a test or a replay that moves time moves
 * the dashboard with it.
 */
@Controller('v1/dashboard')
@Roles('broker', 'compliance', 'dashboard', 'admin')
export class DashboardController {
  constructor(
    private readonly queries: QueryBus,
    @Inject(LEDGER_CLOCK) private readonly clock: Clock,
  ) {}

  @Get('summary')
  summary(@Query() params: DashboardSummaryParams, @CurrentPrincipal() principal: Principal, @MinPosition() minPosition: LogPosition | undefined): Promise<DashboardSummary> {
    const brokerId = principal.role === 'broker' ? principal.principalId : null;
    const asOf = this.clock();
    return this.queries.execute(new DashboardSummaryQuery(brokerId, asOf, dashboardTimingPeriod(params, asOf), minPosition));
  }

  /**
   * The newest journal entries first (libs/read-models recent-facts.ts), for
   * the dashboard page; a broker's are those of the deals it brokers, as on
   * GET /v1/ledger/journal. X-Min-Position waits for the journal.
   */
  @Get('recent-facts')
  recentFacts(@Query() params: RecentFactsParams, @CurrentPrincipal() principal: Principal, @MinPosition() minPosition: LogPosition | undefined): Promise<{ items: JournalEntryItem[] }> {
    const brokerId = principal.role === 'broker' ? principal.principalId : null;
    return this.queries.execute(new RecentFactsQuery(brokerId, params.limit, minPosition));
  }
}
