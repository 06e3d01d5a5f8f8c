/** Query parameters of the buy-request read routes and the match suggestions (shared/API.md, Queries), validated at the edge; an unknown one is 400. */
import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { BUY_REQUEST_STATUSES } from '#domain';
import { DEFAULT_MATCH_LIMIT, MAX_MATCH_LIMIT } from '#read-models';
import { PageParams } from '../listings/listing-query-params.js';
import { IsOneOf, IsOptionalField, IsPartyId } from '../validation/field-rules.js';

export const BUY_REQUEST_VIEW_STATUSES = BUY_REQUEST_STATUSES.filter((status) => status !== 'none');

export class ListBuyRequestsParams extends PageParams {
  @IsOptionalField() @IsOneOf(BUY_REQUEST_VIEW_STATUSES) readonly status?: string;
  @IsOptionalField() @IsPartyId() readonly buyerId?: string;
}

/** GET /v1/buy-requests/:id takes no query parameters. */
export class GetBuyRequestParams {}

/** `limit` of GET /v1/buy-requests/:id/matches and GET /v1/listings/:id/matches: the best that many, no cursor. */
export class MatchSuggestionParams {
  /** Default DEFAULT_MATCH_LIMIT, at most MAX_MATCH_LIMIT (issue 5: bounded). */
  @ApiProperty({ type: 'integer', minimum: 1, maximum: MAX_MATCH_LIMIT, default: DEFAULT_MATCH_LIMIT })
  @IsOptionalField()
  @Type(() => Number)
  @IsInt({ message: `limit must be a whole number from 1 to ${MAX_MATCH_LIMIT}` })
  @Min(1)
  @Max(MAX_MATCH_LIMIT)
  readonly limit: number = DEFAULT_MATCH_LIMIT;
}
