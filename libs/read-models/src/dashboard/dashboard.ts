/** The dashboard's aggregates (issue 4, item 2): query, handler, module and the pure summary. */
export { DashboardQueriesModule, DashboardSummaryQuery, DashboardSummaryQueryHandler, type DashboardQueriesOptions } from './dashboard-queries.js';
export {
  DASHBOARD_DEAL_STATUSES,
  EXPIRY_WINDOWS_DAYS,
  OPEN_DEAL_STATUSES,
  RESCUE_HORIZON_DAYS,
  summarizeDashboard,
  type CentsByCurrency,
  type DashboardAggregateRow,
  type DashboardSummary,
  type ExpiringFigure,
} from './dashboard-summary.js';
