/** Query parameters of the listing read routes (shared/API.md, Queries), validated at the edge; an unknown one is 400. */
import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsString, Length, Matches, Max, Min } from 'class-validator';
import { LISTING_STATUSES } from '#domain';
import { DEFAULT_PAGE_LIMIT, MAX_CURSOR_LENGTH, MAX_PAGE_LIMIT } from '#read-models';
import { IsInstant, IsOneOf, IsOptionalField, IsPartyId, IsProvider } from '../validation/field-rules.js';
import { CREDIT_TYPES } from './listing-requests.js';

const CURSOR_TEXT = /^[A-Za-z0-9_-]+$/;

export const LISTING_VIEW_STATUSES = LISTING_STATUSES.filter((status) => status !== 'none');

/** `limit` and `cursor`, shared by every paged read route. */
export class PageParams {
  /** Default DEFAULT_PAGE_LIMIT, at most MAX_PAGE_LIMIT (issue 4: bounded page sizes). */
  @ApiProperty({ type: 'integer', minimum: 1, maximum: MAX_PAGE_LIMIT, default: DEFAULT_PAGE_LIMIT })
  @IsOptionalField()
  @Type(() => Number)
  @IsInt({ message: `limit must be a whole number from 1 to ${MAX_PAGE_LIMIT}` })
  @Min(1)
  @Max(MAX_PAGE_LIMIT)
  readonly limit: number = DEFAULT_PAGE_LIMIT;

  /** The `nextCursor` of the page before; opaque. */
  @ApiProperty({ type: 'string', minLength: 1, maxLength: MAX_CURSOR_LENGTH, pattern: CURSOR_TEXT.source, description: 'The nextCursor of the page before, unchanged' })
  @IsOptionalField()
  @IsString()
  @Length(1, MAX_CURSOR_LENGTH)
  @Matches(CURSOR_TEXT, { message: 'cursor must be the nextCursor of an earlier page' })
  readonly cursor?: string;
}

export class ListListingsParams extends PageParams {
  @IsOptionalField() @IsOneOf(LISTING_VIEW_STATUSES) readonly status?: string;
  @IsOptionalField() @IsProvider() readonly provider?: string;
  @IsOptionalField() @IsOneOf(CREDIT_TYPES) readonly creditType?: string;
  @IsOptionalField() @IsPartyId() readonly sellerId?: string;
  @IsOptionalField() @IsInstant() readonly expiringBefore?: string;
}

/** GET /v1/listings/:id takes no query parameters. */
export class GetListingParams {}
