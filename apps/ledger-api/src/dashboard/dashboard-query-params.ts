/**
 * Query parameters of GET /v1/dashboard/summary, validated at the edge like
 * every other read route (an unknown one is 400): the period of the timings.
 */
import { timingPeriod, timingPeriodProblem, type TimingPeriod } from '#read-models';
import { validationFailed } from '../http/api-error.js';
import { IsInstant, IsOptionalField } from '../validation/field-rules.js';

export class DashboardSummaryParams {
  /** Inclusive. Default: DEFAULT_TIMING_PERIOD_DAYS (30) days before `to`. */
  @IsOptionalField() @IsInstant() readonly from?: string;
  /** Exclusive. Default: the request time, from the injected clock. */
  @IsOptionalField() @IsInstant() readonly to?: string;
}

/** The period the parameters name, defaults filled in from `now`; before `to` and at most MAX_TIMING_PERIOD_DAYS long, else 400 VALIDATION_FAILED. */
export function dashboardTimingPeriod(params: DashboardSummaryParams, now: Date): TimingPeriod {
  const period = timingPeriod(params.from === undefined ? undefined : new Date(params.from), params.to === undefined ? undefined : new Date(params.to), now);
  const problem = timingPeriodProblem(period);
  if (problem !== null) throw validationFailed(problem, { from: period.from.toISOString(), to: period.to.toISOString() });
  return period;
}
