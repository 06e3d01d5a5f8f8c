/**
 * GET /v1/dashboard/summary, computed at query time from listing_view and
 * deal_view with SQL aggregates, in one statement (one snapshot of both
 * views). Why not a dedicated projection: the expiry windows move with the
 * clock (a listing enters "expiring within 7 days" without any event), so a
 * projection could not hold them anyway; the other figures are a GROUP BY
 * over one row per deal or listing, which PostgreSQL does in milliseconds for
 * hundreds of thousands of rows, and is exact by construction (the views are
 * folds of the log at their checkpoints). Should the tables grow past that,
 * a per-(status, currency) counter projection can replace the deal part.
 *
 * The timings (issue 5, item 4) are a second statement, TIMING_SQL, run
 * beside the first: they cover a period rather than the present, so they
 * need not reconcile with the counts, and each is one snapshot of its own.
 */
import { Inject, Module, type DynamicModule } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { LogPosition } from '#event-store';
import { BUY_REQUEST_VIEW } from '../projections/buy-request-view.js';
import { DEAL_VIEW } from '../projections/deal-view.js';
import { LISTING_VIEW } from '../projections/listing-view.js';
import { READ_MODEL_DATABASE, queryRows, type ReadModelDatabase } from '../queries/read-model-database.js';
import { ProjectionCatchUp, postgresCheckpointReader, type ReadYourWritesSettings } from '../queries/read-your-writes.js';
import { RecentFactsQueryHandler } from './recent-facts.js';
import {
  EXPIRY_WINDOWS_DAYS,
  RESCUE_HORIZON_DAYS,
  summarizeDashboard,
  summarizeTimings,
  timingPeriodProblem,
  type DashboardAggregateRow,
  type DashboardSummary,
  type DashboardTimingRow,
  type TimingPeriod,
} from './dashboard-summary.js';

export class DashboardSummaryQuery extends Query<DashboardSummary> {
  constructor(
    /** null: every deal; otherwise only the deals this broker brokers. */
    readonly brokerId: string | null,
    /** The moment the expiry windows start from: the request time, from the caller's clock (never read here). */
    readonly asOf: Date,
    /** The period of the timings, `from` inclusive, `to` exclusive; checked by the caller (timingPeriodProblem). */
    readonly period: TimingPeriod,
    readonly minPosition?: LogPosition,
  ) {
    super();
  }
}

/**
 * $1 broker id or null, $2 asOf, $3 the windows in days, $4 the rescue horizon in days.
 * Amounts are summed as numeric and read as text: no float, no digit lost.
 * Two amounts live only in the stored state (tagged bigints, state-json.ts):
 * a listing's expired part and a deal's confirmed face value.
 */
export const DASHBOARD_SQL = `
WITH deals AS (
  SELECT status, currency, price_cents, commission_cents, face_value_cents, credit_expires_at, closed_at, state
    FROM deal_view WHERE $1::text IS NULL OR broker_id = $1::text
)
SELECT 'deals' AS kind, status AS key, currency, count(*)::text AS count, sum(price_cents)::text AS cents
  FROM deals GROUP BY status, currency
UNION ALL
SELECT 'commission', '', currency, count(*)::text, sum(commission_cents)::text
  FROM deals WHERE status = 'settled' GROUP BY currency
UNION ALL
SELECT 'rescued', '', currency, count(*)::text, sum((state->'confirmedFaceValueCents'->>'$bigint')::numeric)::text
  FROM deals WHERE status = 'settled' AND credit_expires_at <= closed_at + make_interval(days => $4::int) GROUP BY currency
UNION ALL
SELECT 'deals_expired_on_credit_expiry', '', currency, count(*)::text, sum(face_value_cents)::text
  FROM deals WHERE status = 'expired' AND state->>'expiredDeadline' = 'credit_expiry' GROUP BY currency
UNION ALL
SELECT 'expiring', w.days::text, l.currency, count(*)::text, sum(l.available_face_value_cents)::text
  FROM listing_view l CROSS JOIN unnest($3::int[]) AS w(days)
 WHERE l.status = 'available' AND l.available_face_value_cents > 0
   AND l.credit_expires_at > $2::timestamptz AND l.credit_expires_at <= $2::timestamptz + make_interval(days => w.days)
 GROUP BY w.days, l.currency
UNION ALL
SELECT 'lost', '', currency, count(*)::text, sum((state->'expiredFaceValueCents'->>'$bigint')::numeric)::text
  FROM listing_view WHERE status = 'expired' GROUP BY currency`;

/**
 * The timings: one row per measure that has samples in [$2, $3), $1 the
 * broker id or null (timeToSettle only; matching is market-wide).
 *
 * percentile_disc, not percentile_cont: the answers are whole milliseconds,
 * and percentile_disc answers one of the samples (the smallest whose
 * cumulative share reaches the fraction, the nearest-rank percentile), so
 * it is a whole number by construction and names a time a real listing,
 * request or deal took. percentile_cont interpolates between two samples
 * (the median of 10 and 15 ms would be 12.5) and would need a rounding rule
 * on top. Hence with an even count the median is the lower middle sample.
 *
 * - A listing's verification time is read from its folded state
 *   (`verification.verifiedAt`, a tagged Date, state-json.ts), verified once
 *   per listing by the decider, rather than from a new column: only the
 *   listings whose first deal falls in the period are looked up, by key.
 * - A listing's first deal is its earliest opened deal in deal_view, of any
 *   status; it belongs to the period when that earliest opening does. The
 *   deals opened in the period come off deal_view_opened_idx; their
 *   listings' earlier deals take a pass over deal_view (no index on
 *   listing_id), as the pipeline counts above do anyway.
 * - A buy request's first fill is buy_request_view.first_filled_at: the
 *   earliest fill it ever had, released ones included (buy-request-view.ts),
 *   the way a listing's first deal counts whatever became of that deal.
 * - A settlement is deal_view.closed_at of a settled deal (DealSettled's time).
 * Elapsed times are the difference of the epochs (numeric, exact to the
 * microsecond) in milliseconds, truncated: the stored times are whole
 * milliseconds already (JavaScript Dates), so nothing is lost.
 */
export const TIMING_SQL = `
WITH first_deals AS (
  SELECT listing_id, min(opened_at) AS first_opened_at
    FROM deal_view
   WHERE listing_id IN (SELECT listing_id FROM deal_view WHERE opened_at >= $2::timestamptz AND opened_at < $3::timestamptz)
   GROUP BY listing_id
  HAVING min(opened_at) >= $2::timestamptz
),
spans AS (
  SELECT 'listing_verified_to_first_deal' AS measure, (l.state #>> '{verification,verifiedAt,$date}')::timestamptz AS started_at, f.first_opened_at AS ended_at
    FROM first_deals f JOIN listing_view l ON l.id = f.listing_id
  UNION ALL
  SELECT 'buy_request_placed_to_first_fill', placed_at, first_filled_at
    FROM buy_request_view WHERE first_filled_at >= $2::timestamptz AND first_filled_at < $3::timestamptz
  UNION ALL
  SELECT 'deal_opened_to_settled', opened_at, closed_at
    FROM deal_view
   WHERE status = 'settled' AND closed_at >= $2::timestamptz AND closed_at < $3::timestamptz AND ($1::text IS NULL OR broker_id = $1::text)
),
samples AS (
  SELECT measure, trunc((extract(epoch FROM ended_at) - extract(epoch FROM started_at)) * 1000)::bigint AS ms FROM spans
)
SELECT measure, count(ms)::text AS samples,
       (percentile_disc(0.5) WITHIN GROUP (ORDER BY ms))::text AS median_ms,
       (percentile_disc(0.9) WITHIN GROUP (ORDER BY ms))::text AS p90_ms
  FROM samples GROUP BY measure`;

@QueryHandler(DashboardSummaryQuery)
export class DashboardSummaryQueryHandler implements IQueryHandler<DashboardSummaryQuery, DashboardSummary> {
  constructor(
    @Inject(READ_MODEL_DATABASE) private readonly database: ReadModelDatabase,
    @Inject(ProjectionCatchUp) private readonly catchUp: ProjectionCatchUp,
  ) {}

  async execute({ brokerId, asOf, period, minPosition }: DashboardSummaryQuery): Promise<DashboardSummary> {
    const problem = timingPeriodProblem(period);
    if (problem !== null) throw new Error(`DashboardSummaryQuery with an unchecked period: ${problem}`);
    await this.catchUp.waitFor([LISTING_VIEW, DEAL_VIEW, BUY_REQUEST_VIEW], minPosition);
    const [rows, timingRows] = await Promise.all([
      queryRows<DashboardAggregateRow>(this.database, DASHBOARD_SQL, [brokerId, asOf.toISOString(), [...EXPIRY_WINDOWS_DAYS], RESCUE_HORIZON_DAYS]),
      queryRows<DashboardTimingRow>(this.database, TIMING_SQL, [brokerId, period.from.toISOString(), period.to.toISOString()]),
    ]);
    return { ...summarizeDashboard(rows, asOf, brokerId), ...summarizeTimings(timingRows, period) };
  }
}

export interface DashboardQueriesOptions {
  readonly dataSource: ReadModelDatabase;
  readonly readYourWrites?: ReadYourWritesSettings;
}

/** The dashboard's query handlers on the QueryBus (CqrsModule.forRoot() is global, from the command side). */
@Module({})
export class DashboardQueriesModule {
  static register(options: DashboardQueriesOptions): DynamicModule {
    return {
      module: DashboardQueriesModule,
      providers: [
        { provide: READ_MODEL_DATABASE, useValue: options.dataSource },
        { provide: ProjectionCatchUp, useValue: new ProjectionCatchUp(postgresCheckpointReader(options.dataSource), options.readYourWrites) },
        DashboardSummaryQueryHandler,
        RecentFactsQueryHandler,
      ],
    };
  }
}
