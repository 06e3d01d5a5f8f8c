/** Query parameters of the deal read routes (shared/API.md, Queries), validated at the edge; an unknown one is 400. */
import { IsOptional } from 'class-validator';
import { DEAL_STATUSES } from '#domain';
import { PageParams } from '../listings/listing-query-params.js';
import { IsInstant, IsOneOf, IsPartyId } from '../validation/field-rules.js';

export const DEAL_VIEW_STATUSES = DEAL_STATUSES.filter((status) => status !== 'none');

export class ListDealsParams extends PageParams {
  @IsOptional() @IsOneOf(DEAL_VIEW_STATUSES) readonly status?: string;
  /** A broker may name only itself (403 otherwise): its list is always its own deals. */
  @IsOptional() @IsPartyId() readonly brokerId?: string;
  @IsOptional() @IsPartyId() readonly buyerId?: string;
  @IsOptional() @IsPartyId() readonly sellerId?: string;
}

export class GetDealParams {
  /** The deal as it was at this instant (issue 4, item 4), folded from its events recorded up to then. */
  @IsOptional() @IsInstant() readonly asOf?: string;
}
