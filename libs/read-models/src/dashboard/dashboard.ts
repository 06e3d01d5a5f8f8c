/** The dashboard's aggregates (issue 4, item 2) and timings (issue 5, item 4): query, handler, module and the pure summary. */
export { DashboardQueriesModule, DashboardSummaryQuery, DashboardSummaryQueryHandler, type DashboardQueriesOptions } from './dashboard-queries.js';
export {
  DASHBOARD_DEAL_STATUSES,
  DEFAULT_TIMING_PERIOD_DAYS,
  EXPIRY_WINDOWS_DAYS,
  MAX_TIMING_PERIOD_DAYS,
  OPEN_DEAL_STATUSES,
  RESCUE_HORIZON_DAYS,
  TIMING_MEASURES,
  summarizeDashboard,
  summarizeTimings,
  timingPeriod,
  timingPeriodProblem,
  type CentsByCurrency,
  type DashboardAggregateRow,
  type DashboardSnapshot,
  type DashboardSummary,
  type DashboardTimingRow,
  type DashboardTimings,
  type DurationFigure,
  type ExpiringFigure,
  type TimingMeasure,
  type TimingPeriod,
} from './dashboard-summary.js';
export { DEFAULT_RECENT_FACTS, MAX_RECENT_FACTS, RecentFactsQuery, RecentFactsQueryHandler } from './recent-facts.js';
