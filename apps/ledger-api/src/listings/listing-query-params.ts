/** Query parameters of the listing read routes (shared/API.md, Queries), validated at the edge; an unknown one is 400. */
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { LISTING_STATUSES } from '#domain';
import { DEFAULT_PAGE_LIMIT, MAX_CURSOR_LENGTH, MAX_PAGE_LIMIT } from '#read-models';
import { IsInstant, IsOneOf, IsPartyId, IsProvider } from '../validation/field-rules.js';
import { CREDIT_TYPES } from './listing-requests.js';

export const LISTING_VIEW_STATUSES = LISTING_STATUSES.filter((status) => status !== 'none');

/** `limit` and `cursor`, shared by every paged read route. */
export class PageParams {
  /** Default DEFAULT_PAGE_LIMIT, at most MAX_PAGE_LIMIT (issue 4: bounded page sizes). */
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: `limit must be a whole number from 1 to ${MAX_PAGE_LIMIT}` })
  @Min(1)
  @Max(MAX_PAGE_LIMIT)
  readonly limit: number = DEFAULT_PAGE_LIMIT;

  /** The `nextCursor` of the page before; opaque. */
  @IsOptional()
  @IsString()
  @Length(1, MAX_CURSOR_LENGTH)
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'cursor must be the nextCursor of an earlier page' })
  readonly cursor?: string;
}

export class ListListingsParams extends PageParams {
  @IsOptional() @IsOneOf(LISTING_VIEW_STATUSES) readonly status?: string;
  @IsOptional() @IsProvider() readonly provider?: string;
  @IsOptional() @IsOneOf(CREDIT_TYPES) readonly creditType?: string;
  @IsOptional() @IsPartyId() readonly sellerId?: string;
  @IsOptional() @IsInstant() readonly expiringBefore?: string;
}

/** GET /v1/listings/:id takes no query parameters. */
export class GetListingParams {}
