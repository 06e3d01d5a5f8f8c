/** Query parameters of the deal read routes (shared/API.md, Queries), validated at the edge; an unknown one is 400. */
import { DEAL_STATUSES } from '#domain';
import { PageParams } from '../listings/listing-query-params.js';
import { IsInstant, IsOneOf, IsOptionalField, IsPartyId } from '../validation/field-rules.js';

export const DEAL_VIEW_STATUSES = DEAL_STATUSES.filter((status) => status !== 'none');

export class ListDealsParams extends PageParams {
  @IsOptionalField() @IsOneOf(DEAL_VIEW_STATUSES) readonly status?: string;
  /** A broker may name only itself (403 otherwise): its list is always its own deals. */
  @IsOptionalField() @IsPartyId() readonly brokerId?: string;
  @IsOptionalField() @IsPartyId() readonly buyerId?: string;
  @IsOptionalField() @IsPartyId() readonly sellerId?: string;
}

export class GetDealParams {
  /** The deal as it was at this instant (issue 4, item 4), folded from its events recorded up to then. */
  @IsOptionalField() @IsInstant() readonly asOf?: string;
}
