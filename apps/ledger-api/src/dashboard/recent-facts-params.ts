/** Query parameters of GET /v1/dashboard/recent-facts, validated at the edge; an unknown one is 400. */
import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { DEFAULT_RECENT_FACTS, MAX_RECENT_FACTS } from '#read-models';
import { IsOptionalField } from '../validation/field-rules.js';

export class RecentFactsParams {
  /** Default DEFAULT_RECENT_FACTS, at most MAX_RECENT_FACTS: a screenful, not a history. */
  @IsOptionalField()
  @Type(() => Number)
  @IsInt({ message: `limit must be a whole number from 1 to ${MAX_RECENT_FACTS}` })
  @Min(1)
  @Max(MAX_RECENT_FACTS)
  readonly limit: number = DEFAULT_RECENT_FACTS;
}
