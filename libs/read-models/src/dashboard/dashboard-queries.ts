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
 */
import { Inject, Module, type DynamicModule } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { LogPosition } from '#event-store';
import { DEAL_VIEW } from '../projections/deal-view.js';
import { LISTING_VIEW } from '../projections/listing-view.js';
import { READ_MODEL_DATABASE, queryRows, type ReadModelDatabase } from '../queries/read-model-database.js';
import { ProjectionCatchUp, postgresCheckpointReader, type ReadYourWritesSettings } from '../queries/read-your-writes.js';
import { EXPIRY_WINDOWS_DAYS, RESCUE_HORIZON_DAYS, summarizeDashboard, type DashboardAggregateRow, type DashboardSummary } from './dashboard-summary.js';

export class DashboardSummaryQuery extends Query<DashboardSummary> {
  constructor(
    /** null: every deal; otherwise only the deals this broker brokers. */
    readonly brokerId: string | null,
    /** The moment the expiry windows start from: the request time. */
    readonly asOf: Date,
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

@QueryHandler(DashboardSummaryQuery)
export class DashboardSummaryQueryHandler implements IQueryHandler<DashboardSummaryQuery, DashboardSummary> {
  constructor(
    @Inject(READ_MODEL_DATABASE) private readonly database: ReadModelDatabase,
    @Inject(ProjectionCatchUp) private readonly catchUp: ProjectionCatchUp,
  ) {}

  async execute({ brokerId, asOf, minPosition }: DashboardSummaryQuery): Promise<DashboardSummary> {
    await this.catchUp.waitFor([LISTING_VIEW, DEAL_VIEW], minPosition);
    const rows = await queryRows<DashboardAggregateRow>(this.database, DASHBOARD_SQL, [brokerId, asOf.toISOString(), [...EXPIRY_WINDOWS_DAYS], RESCUE_HORIZON_DAYS]);
    return summarizeDashboard(rows, asOf, brokerId);
  }
}

export interface DashboardQueriesOptions {
  readonly dataSource: ReadModelDatabase;
  readonly readYourWrites?: ReadYourWritesSettings;
}

/** The dashboard's query handler on the QueryBus (CqrsModule.forRoot() is global, from the command side). */
@Module({})
export class DashboardQueriesModule {
  static register(options: DashboardQueriesOptions): DynamicModule {
    return {
      module: DashboardQueriesModule,
      providers: [
        { provide: READ_MODEL_DATABASE, useValue: options.dataSource },
        { provide: ProjectionCatchUp, useValue: new ProjectionCatchUp(postgresCheckpointReader(options.dataSource), options.readYourWrites) },
        DashboardSummaryQueryHandler,
      ],
    };
  }
}
